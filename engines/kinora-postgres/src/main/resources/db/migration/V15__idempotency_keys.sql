-- Responses to mutating requests that carried an Idempotency-Key, replayed on retries.

CREATE TABLE idempotency_keys (
    scope        text NOT NULL,          -- user id, or 'anonymous:<ip>'
    key          text NOT NULL,
    method       text NOT NULL,
    path         text NOT NULL,
    request_hash text NOT NULL,
    status       integer,                -- NULL while the first request is still running
    content_type text,
    body         bytea,
    headers      jsonb NOT NULL DEFAULT '{}',
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (created_at);
