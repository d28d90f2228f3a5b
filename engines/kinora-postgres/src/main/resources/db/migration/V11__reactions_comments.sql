-- Likes/dislikes (one per user per video) and threaded comments.

CREATE TABLE video_reactions (
    video_id   text NOT NULL REFERENCES videos (id),
    user_id    text NOT NULL REFERENCES users (id),
    value      smallint NOT NULL CHECK (value IN (1, -1)),
    created_at timestamptz NOT NULL,
    PRIMARY KEY (video_id, user_id)
);
CREATE INDEX video_reactions_by_user ON video_reactions (user_id, created_at DESC);

-- One level of threading, like YouTube: a reply to a reply joins the same thread (parent_id is
-- always the thread's top comment) and keeps who it answered in reply_to_user_id.
CREATE TABLE comments (
    id               text PRIMARY KEY,
    video_id         text NOT NULL REFERENCES videos (id),
    author_id        text NOT NULL REFERENCES users (id),
    parent_id        text REFERENCES comments (id),
    reply_to_user_id text REFERENCES users (id),
    body             text NOT NULL,
    reply_count      integer NOT NULL DEFAULT 0 CHECK (reply_count >= 0),
    created_at       timestamptz NOT NULL,
    edited_at        timestamptz,
    deleted_at       timestamptz
);
CREATE INDEX comments_threads_newest ON comments (video_id, created_at DESC, id DESC) WHERE parent_id IS NULL;
CREATE INDEX comments_threads_top ON comments (video_id, reply_count DESC, created_at DESC, id DESC) WHERE parent_id IS NULL;
CREATE INDEX comments_replies ON comments (parent_id, created_at, id) WHERE parent_id IS NOT NULL;
