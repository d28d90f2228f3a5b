-- Per-account fairness on Kafka (JobRelay.FAIR_NEW_PUBLICATIONS): the relay counts, per account,
-- the jobs published to a topic and not claimed yet before publishing another of that account's.
-- Those rows are few at any time (a handful per account), so a partial index keeps the count cheap
-- however long the jobs table grows.
CREATE INDEX jobs_published_unclaimed ON jobs (video_id) WHERE status = 'queued' AND dispatched_at IS NOT NULL;
