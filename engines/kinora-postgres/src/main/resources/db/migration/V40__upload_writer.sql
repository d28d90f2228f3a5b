-- Which request (on which API node) may append to an upload right now, and until when. Several API
-- nodes share one upload's staging in the blob store; only one of them may write to it at a time.
ALTER TABLE uploads
    ADD COLUMN writer       text,
    ADD COLUMN writer_until timestamptz;
