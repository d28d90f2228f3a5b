-- Live streaming (issue 16). One row per channel that ever asked for a stream key; the key is
-- kept in the clear because Studio shows it again (like OBS's own settings). Regenerating
-- replaces it, which revokes the old one.
CREATE TABLE live_channels (
    owner_id    text PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    stream_key  text NOT NULL UNIQUE,
    title       text NOT NULL DEFAULT '',
    replays     boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);

-- A broadcast: from the first publish until the publisher is gone for longer than the grace
-- period. 'live' rows hold a lease the ingest node renews; a node that died leaves a lease that
-- runs out, and the next publish ends that row. The partial unique index is what makes "one
-- live per channel" hold across ingest nodes.
CREATE TABLE live_sessions (
    id               text PRIMARY KEY,
    owner_id         text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title            text NOT NULL,
    state            text NOT NULL CHECK (state IN ('live', 'ended')),
    ingest_url       text NOT NULL,
    lease_until      timestamptz NOT NULL,
    replay_video_id  text,
    started_at       timestamptz NOT NULL,
    ended_at         timestamptz
);
CREATE UNIQUE INDEX live_sessions_one_live_per_channel ON live_sessions (owner_id) WHERE state = 'live';
CREATE INDEX live_sessions_by_owner ON live_sessions (owner_id, started_at DESC);
