-- Analytics (issue 19): raw play events kept for analytics.raw-retention-days, playback states,
-- and the rollups the Studio pages read. Rollups carry channel_id (= the owner's user id) so a
-- channel query reads its own rows through an index instead of joining videos.

-- One row per play event (and per rating, comment, subscription counted): the outbox event id and
-- the play's place in it make a redelivered event a no-op.
CREATE TABLE analytics_raw (
    event_id   text NOT NULL,
    seq        integer NOT NULL,
    video_id   text NOT NULL,
    viewer_key text NOT NULL,
    kind       text NOT NULL,
    position   double precision,
    at         timestamptz NOT NULL,
    source     text NOT NULL,
    domain     text,
    device     text NOT NULL,
    browser    text NOT NULL,
    country    text,
    -- The order the consumer took them in (the outbox's order): replays sort by (at, n), as the
    -- consumer does, so events of one second keep their order (a heartbeat before its seek).
    n          bigserial NOT NULL,
    PRIMARY KEY (event_id, seq)
);
CREATE INDEX analytics_raw_at ON analytics_raw (at);

CREATE TABLE analytics_seen (
    event_id text PRIMARY KEY,
    at       timestamptz NOT NULL DEFAULT now()
);

-- The playback each viewer has going on each video (see PlaybackFold).
CREATE TABLE analytics_playbacks (
    video_id   text NOT NULL,
    viewer_key text NOT NULL,
    started_at timestamptz NOT NULL,
    last_at    timestamptz NOT NULL,
    last_pos   double precision NOT NULL,
    watch_ms   bigint NOT NULL,
    counted    boolean NOT NULL,
    source     text NOT NULL,
    domain     text,
    device     text NOT NULL,
    browser    text NOT NULL,
    country    text,
    PRIMARY KEY (video_id, viewer_key)
);
CREATE INDEX analytics_playbacks_last ON analytics_playbacks (last_at);

CREATE TABLE analytics_hourly (
    video_id   text NOT NULL,
    channel_id text NOT NULL,
    hour       timestamptz NOT NULL,
    plays      bigint NOT NULL DEFAULT 0,
    views      bigint NOT NULL DEFAULT 0,
    watch_ms   bigint NOT NULL DEFAULT 0,
    likes      bigint NOT NULL DEFAULT 0,
    dislikes   bigint NOT NULL DEFAULT 0,
    comments   bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (video_id, hour)
);
CREATE INDEX analytics_hourly_channel ON analytics_hourly (channel_id, hour);

CREATE TABLE analytics_daily (
    video_id   text NOT NULL,
    channel_id text NOT NULL,
    day        date NOT NULL,
    plays      bigint NOT NULL DEFAULT 0,
    views      bigint NOT NULL DEFAULT 0,
    watch_ms   bigint NOT NULL DEFAULT 0,
    likes      bigint NOT NULL DEFAULT 0,
    dislikes   bigint NOT NULL DEFAULT 0,
    comments   bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (video_id, day)
);
-- Covering, so a 90-day channel query is an index-only scan.
CREATE INDEX analytics_daily_channel ON analytics_daily (channel_id, day) INCLUDE (video_id, plays, views, watch_ms, likes, dislikes, comments);

CREATE TABLE analytics_channel_hourly (
    channel_id text NOT NULL,
    hour       timestamptz NOT NULL,
    subs_gained bigint NOT NULL DEFAULT 0,
    subs_lost   bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (channel_id, hour)
);

CREATE TABLE analytics_channel_daily (
    channel_id text NOT NULL,
    day        date NOT NULL,
    subs_gained bigint NOT NULL DEFAULT 0,
    subs_lost   bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (channel_id, day)
);

-- Views and watch time per traffic source, embedding site, device, browser and country.
CREATE TABLE analytics_dims (
    video_id   text NOT NULL,
    channel_id text NOT NULL,
    day        date NOT NULL,
    dimension  text NOT NULL,
    value      text NOT NULL,
    views      bigint NOT NULL DEFAULT 0,
    watch_ms   bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (video_id, day, dimension, value)
);

-- Passes over each 1 % point of the video (100 numbers) per day.
CREATE TABLE analytics_retention (
    video_id text NOT NULL,
    day      date NOT NULL,
    passes   bigint[] NOT NULL,
    PRIMARY KEY (video_id, day)
);

-- Who was counted, per video and day, for unique viewers: 64 bits of a hash of the viewer key.
CREATE TABLE analytics_viewers (
    video_id    text NOT NULL,
    channel_id  text NOT NULL,
    day         date NOT NULL,
    viewer_hash bigint NOT NULL,
    PRIMARY KEY (video_id, day, viewer_hash)
);

CREATE TABLE analytics_minutes (
    video_id   text NOT NULL,
    channel_id text NOT NULL,
    minute     timestamptz NOT NULL,
    views      bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (video_id, minute)
);
CREATE INDEX analytics_minutes_channel ON analytics_minutes (channel_id, minute);

-- Channel-level copies of the two largest per-video tables, so a channel query reads one row per
-- day and value (dims) and one row per viewer and day (viewers, deduplicated across its videos)
-- instead of one per video.
CREATE TABLE analytics_channel_dims (
    channel_id text NOT NULL,
    day        date NOT NULL,
    dimension  text NOT NULL,
    value      text NOT NULL,
    views      bigint NOT NULL DEFAULT 0,
    watch_ms   bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (channel_id, day, dimension, value)
);

CREATE TABLE analytics_channel_viewers (
    channel_id  text NOT NULL,
    day         date NOT NULL,
    viewer_hash bigint NOT NULL,
    PRIMARY KEY (channel_id, day, viewer_hash)
);
