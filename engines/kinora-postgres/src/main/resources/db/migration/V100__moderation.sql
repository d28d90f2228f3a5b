-- Trust and safety (issue 18): reports, moderator actions with the penalties they give, appeals,
-- what moderation did to a video or an account, blocks, and the audit log.

-- One row per reporter and item while open (the partial unique index); a flood on one item is
-- many rows that the queue groups into one entry with a count.
CREATE TABLE reports (
    id          text PRIMARY KEY,
    reporter_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    item_kind   text NOT NULL CHECK (item_kind IN ('video', 'comment', 'channel', 'live_chat')),
    item_id     text NOT NULL,
    reason      text NOT NULL,
    note        text NOT NULL DEFAULT '',
    at_seconds  double precision,
    status      text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'dismissed', 'actioned')),
    outcome     text,
    created_at  timestamptz NOT NULL,
    resolved_at timestamptz
);
CREATE UNIQUE INDEX reports_one_open ON reports (reporter_id, item_kind, item_id) WHERE status = 'open';
CREATE INDEX reports_open_items ON reports (item_kind, item_id) WHERE status = 'open';
CREATE INDEX reports_by_reporter ON reports (reporter_id, created_at DESC);

-- Every moderator decision. penalty: what it counts against the target account (a warning, a
-- strike, a suspension until penalty_until, a termination); reverted_at: an accepted appeal undid it.
CREATE TABLE moderation_actions (
    id             text PRIMARY KEY,
    actor_id       text NOT NULL,
    action         text NOT NULL,
    item_kind      text NOT NULL,
    item_id        text NOT NULL,
    target_user_id text REFERENCES users (id) ON DELETE CASCADE,
    reason         text NOT NULL,
    penalty        text CHECK (penalty IN ('warning', 'strike', 'suspension', 'termination')),
    penalty_until  timestamptz,
    created_at     timestamptz NOT NULL,
    reverted_at    timestamptz
);
CREATE INDEX moderation_actions_target ON moderation_actions (target_user_id, created_at DESC);

-- One appeal per action (the primary key).
CREATE TABLE appeals (
    action_id       text PRIMARY KEY REFERENCES moderation_actions (id) ON DELETE CASCADE,
    user_id         text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    message         text NOT NULL,
    status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'rejected')),
    decided_by      text,
    decision_reason text,
    created_at      timestamptz NOT NULL,
    decided_at      timestamptz
);
CREATE INDEX appeals_open ON appeals (created_at) WHERE status = 'open';

-- What moderation did to a video. A row with taken_down_at or held_at set keeps the video out of
-- every public listing and (taken down) stops the origin serving it.
CREATE TABLE video_moderation (
    video_id        text PRIMARY KEY REFERENCES videos (id) ON DELETE CASCADE,
    taken_down_at   timestamptz,
    takedown_reason text,
    held_at         timestamptz,
    hold_reason     text,
    age_restricted  boolean NOT NULL DEFAULT false,
    sensitive       boolean NOT NULL DEFAULT false,
    comments        text NOT NULL DEFAULT 'on' CHECK (comments IN ('on', 'off', 'held'))
);
CREATE INDEX video_moderation_withheld ON video_moderation (video_id) WHERE taken_down_at IS NOT NULL OR held_at IS NOT NULL;

-- An account's standing, derived from its penalties (StrikePolicy) and written whenever they
-- change, so that the upload check is one primary-key read.
CREATE TABLE account_standing (
    user_id         text PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    frozen_until    timestamptz,
    suspended_until timestamptz,
    terminated_at   timestamptz
);

-- Comments held for review (keyword rules, a video's "held" setting) wait here, unseen by others.
ALTER TABLE comments ADD COLUMN held_at timestamptz;

-- A user hides a channel from themselves; a creator hides a user from their channel's comments.
CREATE TABLE channel_blocks (
    user_id    text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    channel_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (user_id, channel_id)
);
CREATE TABLE channel_hidden_users (
    channel_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    user_id    text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (channel_id, user_id)
);
-- Instance-wide: a blocked email domain refuses sign-up (a blocked user is a suspension without end).
CREATE TABLE blocked_email_domains (
    domain     text PRIMARY KEY,
    reason     text NOT NULL,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL
);

-- Append-only: the trigger refuses UPDATE and DELETE, so not even a bug can rewrite history.
CREATE TABLE audit_log (
    id        bigserial PRIMARY KEY,
    at        timestamptz NOT NULL,
    actor_id  text NOT NULL,
    action    text NOT NULL,
    item_kind text NOT NULL,
    item_id   text NOT NULL,
    reason    text NOT NULL,
    details   text NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_item ON audit_log (item_kind, item_id, id DESC);
CREATE INDEX audit_log_actor ON audit_log (actor_id, id DESC);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
