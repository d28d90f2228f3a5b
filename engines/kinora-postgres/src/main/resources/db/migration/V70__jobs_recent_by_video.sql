-- The fair claim (PgJobQueue) counts each account's running and recently finished jobs.
CREATE INDEX jobs_recent_by_video ON jobs (video_id, updated_at) WHERE status IN ('running', 'done');
