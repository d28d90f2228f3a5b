-- Issue 15, one decode: a video whose first pass copied the source's video stream has that copy
-- removed from its master and MPD once the ladder is complete; its files stay for a grace period
-- (viewers who loaded its playlist before play on) and are deleted by the server's cleanup task
-- once delete_after has passed. One row per video; a retried ladder job moves the time on.
CREATE TABLE source_copy_retirements (
    video_id     TEXT PRIMARY KEY,
    delete_after TIMESTAMPTZ NOT NULL
);
CREATE INDEX source_copy_retirements_due ON source_copy_retirements (delete_after);
