-- Accounts, videos with their renditions, tus uploads, and the job queue.

CREATE TABLE users (
    id            text PRIMARY KEY,
    username      text NOT NULL,
    email         text NOT NULL,
    password_hash text NOT NULL,
    created_at    timestamptz NOT NULL
);
CREATE UNIQUE INDEX users_username_key ON users (lower(username));
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE videos (
    id               text PRIMARY KEY,
    owner_id         text NOT NULL REFERENCES users (id),
    title            text NOT NULL,
    description      text NOT NULL DEFAULT '',
    privacy          text NOT NULL CHECK (privacy IN ('public', 'unlisted', 'private')),
    status           text NOT NULL CHECK (status IN ('uploading', 'processing', 'ready', 'failed')),
    progress         integer NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    failure_reason   text,
    duration_seconds double precision,
    width            integer,
    height           integer,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    published_at     timestamptz,
    deleted_at       timestamptz
);
-- The home feed: public, ready, not deleted, newest first, keyset-paginated by (published_at, id).
CREATE INDEX videos_public_feed ON videos (published_at DESC, id DESC)
    WHERE privacy = 'public' AND status = 'ready' AND deleted_at IS NULL;
CREATE INDEX videos_by_owner ON videos (owner_id, created_at DESC);

CREATE TABLE renditions (
    video_id   text NOT NULL REFERENCES videos (id),
    name       text NOT NULL,
    width      integer NOT NULL,
    height     integer NOT NULL,
    bandwidth  integer NOT NULL,
    codecs     text NOT NULL,
    frame_rate double precision NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (video_id, name)
);

CREATE TABLE uploads (
    id           text PRIMARY KEY,
    video_id     text NOT NULL REFERENCES videos (id),
    owner_id     text NOT NULL REFERENCES users (id),
    length       bigint NOT NULL CHECK (length >= 0),
    upload_offset bigint NOT NULL DEFAULT 0,
    metadata     jsonb NOT NULL DEFAULT '{}',
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    completed_at timestamptz,
    CHECK (upload_offset BETWEEN 0 AND length)
);
CREATE INDEX uploads_expiring ON uploads (expires_at) WHERE completed_at IS NULL;

CREATE TABLE jobs (
    id           bigserial PRIMARY KEY,
    kind         text NOT NULL,
    video_id     text NOT NULL,
    priority     integer NOT NULL DEFAULT 0,
    status       text NOT NULL CHECK (status IN ('queued', 'running', 'done', 'dead')),
    attempts     integer NOT NULL DEFAULT 0,
    max_attempts integer NOT NULL,
    run_at       timestamptz NOT NULL DEFAULT now(),
    lease_owner  text,
    lease_until  timestamptz,
    last_error   text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX jobs_runnable ON jobs (priority DESC, run_at, id) WHERE status = 'queued';
CREATE INDEX jobs_leased ON jobs (lease_until) WHERE status = 'running';
-- At most one pending job of a kind per video: queueing twice is a no-op.
CREATE UNIQUE INDEX jobs_one_pending ON jobs (kind, video_id) WHERE status IN ('queued', 'running');
