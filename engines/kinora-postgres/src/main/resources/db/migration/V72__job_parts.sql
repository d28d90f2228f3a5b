-- A video's work of one kind may be split into parts that run at once on different workers
-- (the chunks of a long video, issue 15): at most one pending job per (kind, video, part).
-- Part 0 is a job that is the only one of its kind, so existing rows keep their meaning.
ALTER TABLE jobs ADD COLUMN part integer NOT NULL DEFAULT 0 CHECK (part >= 0);
DROP INDEX jobs_one_pending;
CREATE UNIQUE INDEX jobs_one_pending ON jobs (kind, video_id, part) WHERE status IN ('queued', 'running');
