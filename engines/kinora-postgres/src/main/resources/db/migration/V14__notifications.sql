-- In-app notifications. dedup_key makes producers idempotent: an event delivered twice
-- (the dispatcher is at-least-once) creates one notification.

CREATE TABLE notifications (
    id         bigserial PRIMARY KEY,
    user_id    text NOT NULL REFERENCES users (id),
    type       text NOT NULL,
    actor_id   text,
    video_id   text,
    comment_id text,
    message    text NOT NULL,
    dedup_key  text NOT NULL,
    created_at timestamptz NOT NULL,
    read_at    timestamptz
);
CREATE UNIQUE INDEX notifications_dedup ON notifications (user_id, dedup_key);
CREATE INDEX notifications_by_user ON notifications (user_id, id DESC);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
