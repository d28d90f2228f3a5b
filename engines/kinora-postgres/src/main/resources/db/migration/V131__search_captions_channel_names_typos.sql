-- Issue 19 search gaps. The vector gains the channel's display name (beside the username, both
-- weight D), caption text and Studio chapter titles (weight C, like the description). Every word
-- of a listed video also goes into search_words, which the typo fallback matches by trigram
-- similarity ("astronmy" -> "astronomy") when a one-word query finds nothing as typed.
CREATE FUNCTION kinora_video_search_vector(title text, tags text[], description text, channel text,
                                           extra text, channel_name text)
RETURNS tsvector LANGUAGE sql STABLE AS $$
    SELECT setweight(to_tsvector('english', coalesce(title, '')), 'A')
        || setweight(to_tsvector('english', array_to_string(tags, ' ')), 'B')
        || setweight(to_tsvector('english', coalesce(description, '') || ' ' || coalesce(extra, '')), 'C')
        || setweight(to_tsvector('simple', coalesce(channel, '') || ' ' || coalesce(channel_name, '')), 'D')
$$;

CREATE TABLE search_words (
    word text PRIMARY KEY
);
CREATE INDEX search_words_trgm ON search_words USING gin (word gin_trgm_ops);

CREATE OR REPLACE FUNCTION kinora_videos_search_vector_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    extra text := coalesce((SELECT string_agg(c.search_text, ' ') FROM video_captions c WHERE c.video_id = NEW.id), '')
        || ' ' || coalesce((SELECT d.chapters FROM video_details d WHERE d.video_id = NEW.id), '');
    display text := (SELECT display_name FROM channels WHERE id = NEW.owner_id);
BEGIN
    NEW.search_vector := kinora_video_search_vector(NEW.title, NEW.tags, NEW.description,
        (SELECT username FROM users WHERE id = NEW.owner_id), extra, display);
    -- Words only ever join the list: one that no video uses any more just corrects to nothing.
    INSERT INTO search_words (word)
    SELECT w FROM unnest(tsvector_to_array(to_tsvector('simple',
            coalesce(NEW.title, '') || ' ' || array_to_string(NEW.tags, ' ') || ' ' || coalesce(NEW.description, '')
            || ' ' || extra || ' ' || coalesce(display, '')))) AS w
    WHERE length(w) BETWEEN 3 AND 40 AND w !~ '^[0-9]+$'
    ON CONFLICT DO NOTHING;
    RETURN NEW;
END
$$;

-- Captions, Studio chapters and channel renames re-run the video trigger (setting owner_id fires it).
CREATE FUNCTION kinora_video_extra_search_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE videos SET owner_id = owner_id
    WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.video_id ELSE NEW.video_id END;
    RETURN NULL;
END
$$;
CREATE TRIGGER video_captions_search AFTER INSERT OR UPDATE OR DELETE ON video_captions
    FOR EACH ROW EXECUTE FUNCTION kinora_video_extra_search_trigger();
CREATE TRIGGER video_details_search AFTER INSERT OR UPDATE OF chapters ON video_details
    FOR EACH ROW EXECUTE FUNCTION kinora_video_extra_search_trigger();

CREATE FUNCTION kinora_channels_rename_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE videos SET owner_id = owner_id WHERE owner_id = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER channels_rename_search AFTER UPDATE OF display_name ON channels
    FOR EACH ROW WHEN (OLD.display_name IS DISTINCT FROM NEW.display_name) EXECUTE FUNCTION kinora_channels_rename_trigger();

UPDATE videos SET owner_id = owner_id;
