-- Administration (issue 18b): suspended and approval-waiting accounts, instance settings that
-- override the config file's defaults at run time, and a way to find dead jobs by kind fast.
ALTER TABLE users
    ADD COLUMN suspended_at      timestamptz,
    ADD COLUMN suspension_reason text,
    -- Sign-ups in "approval" mode create accounts that cannot sign in until an admin approves them.
    ADD COLUMN awaiting_approval boolean NOT NULL DEFAULT false;

CREATE TABLE instance_settings (
    key        text PRIMARY KEY,
    value      text NOT NULL,
    updated_at timestamptz NOT NULL,
    updated_by text
);

CREATE INDEX jobs_dead ON jobs (kind, id) WHERE status = 'dead';
