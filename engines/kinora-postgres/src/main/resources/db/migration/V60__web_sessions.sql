-- Web sessions live on the server so that signing out (one session) and changing the password
-- (every session) end them at once, instead of a signed cookie staying good for 30 days. The
-- cookie holds a random secret; only its SHA-256 is stored, so a leaked table signs no one in.
CREATE TABLE web_sessions (
    token_hash text PRIMARY KEY,
    user_id    text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX web_sessions_user ON web_sessions (user_id);
-- Bearer tokens carry the generation they were issued in; a password change bumps it, so every
-- token issued before it is refused.
ALTER TABLE users ADD COLUMN token_generation integer NOT NULL DEFAULT 0;
