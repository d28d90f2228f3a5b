-- View counting (deduplicated per viewer per video per window), daily aggregates, watch history.

-- The last time a view by this viewer (u:<user id> or s:<session id>) was counted for this video.
CREATE TABLE view_marks (
    video_id        text NOT NULL REFERENCES videos (id),
    viewer_key      text NOT NULL,
    last_counted_at timestamptz NOT NULL,
    PRIMARY KEY (video_id, viewer_key)
);
CREATE INDEX view_marks_expiry ON view_marks (last_counted_at);

CREATE TABLE video_daily_stats (
    video_id text NOT NULL REFERENCES videos (id),
    day      date NOT NULL,
    views    bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (video_id, day)
);

CREATE TABLE watch_history (
    user_id          text NOT NULL REFERENCES users (id),
    video_id         text NOT NULL REFERENCES videos (id),
    position_seconds double precision NOT NULL DEFAULT 0,
    completed        boolean NOT NULL DEFAULT false,
    first_watched_at timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    PRIMARY KEY (user_id, video_id)
);
CREATE INDEX watch_history_recent ON watch_history (user_id, updated_at DESC, video_id DESC);
