-- Chat kept with the replay (issue 16): each message's offset from the live's start, so the
-- replay's watch page shows it at the same moment of playback.
ALTER TABLE live_chat_messages ADD COLUMN offset_ms bigint NOT NULL DEFAULT 0;
UPDATE live_chat_messages m SET offset_ms = GREATEST(0, (EXTRACT(EPOCH FROM m.created_at - s.started_at) * 1000)::bigint)
    FROM live_sessions s WHERE s.id = m.live_id AND s.started_at IS NOT NULL;
CREATE INDEX live_chat_by_offset ON live_chat_messages (live_id, offset_ms, id);
