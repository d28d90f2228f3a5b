-- The transactional outbox: domain events written in the same transaction as their change, and
-- how far each consumer has read. Events are read in (tx, id) order and only once every
-- transaction older than the oldest one still running has finished, so a consumer never moves
-- past an event that commits later with a smaller id.
CREATE TABLE outbox (
    id          bigserial PRIMARY KEY,
    tx          bigint NOT NULL DEFAULT (pg_current_xact_id()::text)::bigint,
    event_id    text NOT NULL UNIQUE,
    type        text NOT NULL,
    subject_id  text NOT NULL,
    actor_id    text,
    occurred_at timestamptz NOT NULL,
    data        jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX outbox_order ON outbox (tx, id);

CREATE TABLE event_consumers (
    name       text PRIMARY KEY,
    tx         bigint NOT NULL DEFAULT 0,
    last_id    bigint NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now()
);
