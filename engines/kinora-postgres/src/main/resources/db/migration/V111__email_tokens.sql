-- Email verification and password reset (issue 18b). A token is sent by email once and stored
-- only as its SHA-256: a copy of the database does not let anyone use the links in flight.
ALTER TABLE users ADD COLUMN email_verified_at timestamptz;
-- Accounts from before verification existed count as verified.
UPDATE users SET email_verified_at = created_at;

CREATE TABLE account_tokens (
    token_hash text PRIMARY KEY,
    user_id    text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    text NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX account_tokens_by_user ON account_tokens (user_id, purpose);
