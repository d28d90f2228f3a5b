-- Issue 19: caption tracks (one per language, with their text for search) and the details a
-- creator sets in Studio: category, language, licence, chapters typed there, scheduled publication.
CREATE TABLE video_captions (
    video_id    text NOT NULL REFERENCES videos (id),
    language    text NOT NULL,
    label       text NOT NULL,
    cue_count   integer NOT NULL,
    search_text text NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (video_id, language)
);

CREATE TABLE video_details (
    video_id   text PRIMARY KEY REFERENCES videos (id),
    category   text,
    language   text,
    licence    text,
    -- Chapters typed in Studio (one "0:00 Title" per line); NULL: the description's timestamps.
    chapters   text,
    -- When the video turns public; NULL once done (or never scheduled).
    publish_at timestamptz
);
CREATE INDEX video_details_due ON video_details (publish_at) WHERE publish_at IS NOT NULL;
CREATE INDEX video_details_category ON video_details (category) WHERE category IS NOT NULL;
CREATE INDEX video_details_language ON video_details (language) WHERE language IS NOT NULL;
