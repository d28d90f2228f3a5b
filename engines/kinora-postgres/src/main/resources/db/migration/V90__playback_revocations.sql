-- Videos whose cached copies at the edge and shield must no longer play (made private, deleted,
-- taken down). Edges read the recent ones every second; rows older than the longest playback
-- token lifetime no longer matter (every token that could reach those copies has expired).
CREATE TABLE playback_revocations (
    video_id   text PRIMARY KEY,
    reason     text NOT NULL,
    revoked_at timestamptz NOT NULL
);
CREATE INDEX playback_revocations_recent ON playback_revocations (revoked_at);
