-- When the video's whole ladder was published (issue 15). Set once, by the one finisher whose
-- conditional update wins (PgVideoRepository.markProcessed): the last chunk and the first-rung
-- job of a chunked video may both assemble it at the same instant, and only the winner appends
-- VideoProcessed. NULL while processing, for videos finished before this column existed, and for
-- a partial ladder kept after a dead letter (so a replayed job that completes it is announced).
ALTER TABLE videos ADD COLUMN processed_at timestamptz;
