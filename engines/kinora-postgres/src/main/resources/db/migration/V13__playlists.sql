-- Playlists, including each user's built-in "Watch later".

CREATE TABLE playlists (
    id          text PRIMARY KEY,
    owner_id    text NOT NULL REFERENCES users (id),
    kind        text NOT NULL CHECK (kind IN ('regular', 'watch_later')),
    title       text NOT NULL,
    description text NOT NULL DEFAULT '',
    privacy     text NOT NULL CHECK (privacy IN ('public', 'unlisted', 'private')),
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
CREATE INDEX playlists_by_owner ON playlists (owner_id, created_at DESC);
CREATE UNIQUE INDEX playlists_one_watch_later ON playlists (owner_id) WHERE kind = 'watch_later';

CREATE TABLE playlist_items (
    playlist_id text NOT NULL REFERENCES playlists (id) ON DELETE CASCADE,
    video_id    text NOT NULL REFERENCES videos (id),
    position    integer NOT NULL,
    added_at    timestamptz NOT NULL,
    PRIMARY KEY (playlist_id, video_id)
);
CREATE INDEX playlist_items_order ON playlist_items (playlist_id, position);
