-- Where a video may play (issue 17): only in allowed countries when that list is not empty, never
-- in blocked ones. No row: everywhere.
CREATE TABLE video_country_rules (
    video_id  text PRIMARY KEY REFERENCES videos (id) ON DELETE CASCADE,
    allowed   text[] NOT NULL DEFAULT '{}',
    blocked   text[] NOT NULL DEFAULT '{}'
);
