-- Scheduled lives (issue 16): a live created ahead is an 'upcoming' session row with its title,
-- description, thumbnail and start time; its page (/live/{id}) exists from then on. The channel's
-- next publish turns the earliest upcoming row due within the hour into the live (same id, same
-- page), so the countdown page switches to the player. Upcoming rows have no node, lease or start yet.
ALTER TABLE live_sessions DROP CONSTRAINT live_sessions_state_check;
ALTER TABLE live_sessions ADD CONSTRAINT live_sessions_state_check CHECK (state IN ('upcoming', 'live', 'ended'));
ALTER TABLE live_sessions ADD COLUMN description text NOT NULL DEFAULT '';
ALTER TABLE live_sessions ADD COLUMN scheduled_for timestamptz;
ALTER TABLE live_sessions ADD COLUMN thumbnail_file text;
ALTER TABLE live_sessions ALTER COLUMN ingest_url DROP NOT NULL;
ALTER TABLE live_sessions ALTER COLUMN lease_until DROP NOT NULL;
ALTER TABLE live_sessions ALTER COLUMN started_at DROP NOT NULL;
ALTER TABLE live_sessions ADD CONSTRAINT live_sessions_started_unless_upcoming
    CHECK (state = 'upcoming' OR (started_at IS NOT NULL AND ingest_url IS NOT NULL AND lease_until IS NOT NULL));
ALTER TABLE live_sessions ADD CONSTRAINT live_sessions_upcoming_has_time CHECK (state <> 'upcoming' OR scheduled_for IS NOT NULL);
CREATE INDEX live_sessions_upcoming ON live_sessions (owner_id, scheduled_for) WHERE state = 'upcoming';
CREATE INDEX live_sessions_by_replay ON live_sessions (replay_video_id) WHERE replay_video_id IS NOT NULL;
