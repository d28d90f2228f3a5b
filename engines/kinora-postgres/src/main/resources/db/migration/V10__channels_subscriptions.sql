-- Roles and quotas on accounts; one channel per user; subscriptions; per-video counters.

ALTER TABLE users ADD COLUMN role text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'moderator', 'admin'));
-- NULL: the instance default (upload.quota-bytes); -1: unlimited.
ALTER TABLE users ADD COLUMN upload_quota_bytes bigint;
ALTER TABLE users ADD COLUMN history_paused boolean NOT NULL DEFAULT false;

-- A channel is its owner's public face; its id is the owner's user id (one channel per user).
CREATE TABLE channels (
    id               text PRIMARY KEY REFERENCES users (id),
    handle           text NOT NULL,
    display_name     text NOT NULL,
    description      text NOT NULL DEFAULT '',
    avatar_file      text,
    banner_file      text,
    subscriber_count bigint NOT NULL DEFAULT 0 CHECK (subscriber_count >= 0),
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);
CREATE UNIQUE INDEX channels_handle_key ON channels (lower(handle));

-- Every account that exists before this migration gets its channel.
INSERT INTO channels (id, handle, display_name, created_at, updated_at)
SELECT id, username, username, created_at, created_at FROM users;

CREATE TABLE subscriptions (
    subscriber_id text NOT NULL REFERENCES users (id),
    channel_id    text NOT NULL REFERENCES channels (id),
    created_at    timestamptz NOT NULL,
    PRIMARY KEY (subscriber_id, channel_id)
);
CREATE INDEX subscriptions_by_channel ON subscriptions (channel_id);

-- The subscriptions feed reads, per followed channel, its newest public videos (fan-out on read).
CREATE INDEX videos_channel_feed ON videos (owner_id, published_at DESC, id DESC)
    WHERE privacy = 'public' AND status = 'ready' AND deleted_at IS NULL;

-- Counters kept apart from the video row, so hot counters do not rewrite (and bloat) video rows.
CREATE TABLE video_stats (
    video_id      text PRIMARY KEY REFERENCES videos (id),
    view_count    bigint NOT NULL DEFAULT 0,
    like_count    bigint NOT NULL DEFAULT 0 CHECK (like_count >= 0),
    dislike_count bigint NOT NULL DEFAULT 0 CHECK (dislike_count >= 0),
    comment_count bigint NOT NULL DEFAULT 0 CHECK (comment_count >= 0)
);
