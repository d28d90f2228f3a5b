-- tus concatenation (issue 13): a partial upload is one piece of a file sent in parallel; it has no
-- video until a final upload assembles the pieces. concat is NULL for a plain upload, 'partial' or
-- 'final'; a final upload lists its pieces in order; a piece records which final upload took it.
ALTER TABLE uploads
    ALTER COLUMN video_id DROP NOT NULL,
    ADD COLUMN concat       text CHECK (concat IN ('partial', 'final')),
    ADD COLUMN concat_parts text[] NOT NULL DEFAULT '{}',
    ADD COLUMN consumed_by  text,
    ADD CONSTRAINT uploads_partial_has_no_video CHECK ((concat = 'partial') = (video_id IS NULL));
CREATE INDEX uploads_claimed_by ON uploads (consumed_by) WHERE consumed_by IS NOT NULL;
CREATE INDEX uploads_partial_expiring ON uploads (expires_at) WHERE concat = 'partial' AND consumed_by IS NULL;
