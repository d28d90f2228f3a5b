-- Live chat (issue 16): messages are kept with the live (and so with its replay, through
-- live_sessions.replay_video_id); deleting hides a message, it stays for moderation history.
CREATE TABLE live_chat_messages (
    id          bigserial PRIMARY KEY,
    live_id     text NOT NULL REFERENCES live_sessions (id) ON DELETE CASCADE,
    author_id   text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body        text NOT NULL,
    created_at  timestamptz NOT NULL,
    deleted_at  timestamptz,
    deleted_by  text
);
CREATE INDEX live_chat_by_live ON live_chat_messages (live_id, id DESC);

-- A user timed out of one live's chat until a moment; slow mode is per live.
CREATE TABLE live_chat_timeouts (
    live_id  text NOT NULL REFERENCES live_sessions (id) ON DELETE CASCADE,
    user_id  text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    until    timestamptz NOT NULL,
    PRIMARY KEY (live_id, user_id)
);
ALTER TABLE live_sessions ADD COLUMN chat_slow_mode_seconds integer NOT NULL DEFAULT 0;
