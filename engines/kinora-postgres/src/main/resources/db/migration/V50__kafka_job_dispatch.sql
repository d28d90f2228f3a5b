-- Jobs dispatched through Kafka (jobs.queue=kafka). PostgreSQL stays the record of every job's
-- state (dedupe, attempts, errors, dead letters); a relay publishes the rows whose dispatched_at
-- is NULL (new, retry due, dead -> dead-letter topic) and stamps them once the broker has
-- acknowledged. dispatches counts publications; claimed_dispatch is the publication a worker
-- claimed from, so a redelivered record is told apart from a stale duplicate.
ALTER TABLE jobs
    ADD COLUMN dispatched_at    timestamptz,
    ADD COLUMN dispatches       integer NOT NULL DEFAULT 0,
    ADD COLUMN claimed_dispatch integer;
-- Finished rows are not news to anyone.
UPDATE jobs SET dispatched_at = updated_at WHERE status IN ('done', 'dead');
CREATE INDEX jobs_undispatched ON jobs (priority DESC, run_at, id)
    WHERE dispatched_at IS NULL AND status IN ('queued', 'dead');
