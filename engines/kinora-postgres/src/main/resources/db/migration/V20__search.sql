-- Search and discovery: tags, a weighted full-text vector per video kept by a trigger, GIN and
-- trigram indexes over publicly listed videos, and view tallies for trending and sort=views.
-- pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

ALTER TABLE videos ADD COLUMN tags text[] NOT NULL DEFAULT '{}';
ALTER TABLE videos ADD COLUMN search_vector tsvector NOT NULL DEFAULT ''::tsvector;

-- Title strongest (A), then tags (B), description (C) and the channel name (D; the owner's
-- username until channels have names of their own). English stemming except for the channel
-- name, which is a name, not words.
CREATE FUNCTION kinora_video_search_vector(title text, tags text[], description text, channel text)
RETURNS tsvector LANGUAGE sql STABLE AS $$
    SELECT setweight(to_tsvector('english', coalesce(title, '')), 'A')
        || setweight(to_tsvector('english', array_to_string(tags, ' ')), 'B')
        || setweight(to_tsvector('english', coalesce(description, '')), 'C')
        || setweight(to_tsvector('simple', coalesce(channel, '')), 'D')
$$;

CREATE FUNCTION kinora_videos_search_vector_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := kinora_video_search_vector(NEW.title, NEW.tags, NEW.description,
        (SELECT username FROM users WHERE id = NEW.owner_id));
    RETURN NEW;
END
$$;
CREATE TRIGGER videos_search_vector BEFORE INSERT OR UPDATE OF title, description, tags, owner_id ON videos
    FOR EACH ROW EXECUTE FUNCTION kinora_videos_search_vector_trigger();

-- A renamed user renames their channel in every video's vector (setting owner_id fires the trigger above).
CREATE FUNCTION kinora_users_rename_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE videos SET owner_id = owner_id WHERE owner_id = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER users_rename_search AFTER UPDATE OF username ON users
    FOR EACH ROW WHEN (OLD.username IS DISTINCT FROM NEW.username) EXECUTE FUNCTION kinora_users_rename_trigger();

UPDATE videos SET owner_id = owner_id;

-- Only publicly listed videos are ever searched, so the indexes cover only them.
CREATE INDEX videos_search_vector ON videos USING gin (search_vector)
    WHERE privacy = 'public' AND status = 'ready' AND deleted_at IS NULL;
CREATE INDEX videos_title_trgm ON videos USING gin (lower(title) gin_trgm_ops)
    WHERE privacy = 'public' AND status = 'ready' AND deleted_at IS NULL;
CREATE INDEX users_username_trgm ON users USING gin (lower(username) gin_trgm_ops);

-- Views as search sees them, one row per video.viewed event (the event id makes replays
-- harmless), and running totals. Trending sums recent rows with decay.
CREATE TABLE search_views (
    event_id  text PRIMARY KEY,
    video_id  text NOT NULL,
    viewed_at timestamptz NOT NULL
);
CREATE INDEX search_views_recent ON search_views (viewed_at, video_id);
CREATE INDEX search_views_by_video ON search_views (video_id, viewed_at);

CREATE TABLE search_video_stats (
    video_id text PRIMARY KEY,
    views    bigint NOT NULL DEFAULT 0
);
