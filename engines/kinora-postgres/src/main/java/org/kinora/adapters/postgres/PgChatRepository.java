package org.kinora.adapters.postgres;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.kinora.core.live.ChatMessage;
import org.kinora.core.live.ChatRepository;

/** Live chat messages, timeouts and slow mode (V81). */
public final class PgChatRepository implements ChatRepository {
    private static final RowMapper<ChatMessage> MESSAGE = (rs, ctx) -> new ChatMessage(rs.getLong("id"), rs.getString("live_id"),
            rs.getString("author_id"), rs.getString("body"), PgVideoRepository.instant(rs, "created_at"),
            PgVideoRepository.instant(rs, "deleted_at"), rs.getLong("offset_ms"));

    private final PostgresDatabase db;

    public PgChatRepository(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public ChatMessage insert(String liveId, String authorId, String body, Instant at) {
        return db.withHandle(h -> h.createQuery("""
                        INSERT INTO live_chat_messages (live_id, author_id, body, created_at, offset_ms)
                        SELECT :l, :a, :b, :at, GREATEST(0, COALESCE((EXTRACT(EPOCH FROM :at - s.started_at) * 1000)::bigint, 0))
                        FROM live_sessions s WHERE s.id = :l RETURNING *""")
                .bind("l", liveId).bind("a", authorId).bind("b", body).bind("at", at).map(MESSAGE).one());
    }

    @Override
    public List<ChatMessage> recent(String liveId, int limit) {
        List<ChatMessage> newest = db.withHandle(h -> h.createQuery("""
                        SELECT * FROM live_chat_messages WHERE live_id = :l AND deleted_at IS NULL ORDER BY id DESC LIMIT :n""")
                .bind("l", liveId).bind("n", limit).map(MESSAGE).list());
        List<ChatMessage> oldestFirst = new ArrayList<>(newest);
        Collections.reverse(oldestFirst);
        return oldestFirst;
    }

    @Override
    public List<ChatMessage> replay(String liveId, long fromMs, int limit) {
        return db.withHandle(h -> h.createQuery("""
                        SELECT * FROM live_chat_messages WHERE live_id = :l AND deleted_at IS NULL AND offset_ms >= :from
                        ORDER BY offset_ms, id LIMIT :n""")
                .bind("l", liveId).bind("from", fromMs).bind("n", limit).map(MESSAGE).list());
    }

    @Override
    public void collapseGap(String liveId, Instant from, Instant to) {
        long gap = Math.max(0, to.toEpochMilli() - from.toEpochMilli());
        db.useHandle(h -> h.createUpdate("""
                        UPDATE live_chat_messages SET offset_ms = GREATEST(0, CASE WHEN created_at < :to
                            THEN offset_ms - (EXTRACT(EPOCH FROM created_at - :from) * 1000)::bigint ELSE offset_ms - :gap END)
                        WHERE live_id = :l AND created_at >= :from""")
                .bind("l", liveId).bind("from", from).bind("to", to).bind("gap", gap).execute());
    }

    @Override
    public Optional<ChatMessage> find(long id) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM live_chat_messages WHERE id = :id").bind("id", id).map(MESSAGE).findOne());
    }

    @Override
    public void delete(long id, String by, Instant at) {
        db.useHandle(h -> h.createUpdate("UPDATE live_chat_messages SET deleted_at = :at, deleted_by = :by WHERE id = :id AND deleted_at IS NULL")
                .bind("id", id).bind("by", by).bind("at", at).execute());
    }

    @Override
    public Optional<Instant> lastMessageAt(String liveId, String authorId) {
        return db.withHandle(h -> h.createQuery("SELECT max(created_at) AS t FROM live_chat_messages WHERE live_id = :l AND author_id = :a")
                .bind("l", liveId).bind("a", authorId).map((rs, ctx) -> Optional.ofNullable(PgVideoRepository.instant(rs, "t"))).one());
    }

    @Override
    public void timeout(String liveId, String userId, Instant until) {
        db.useHandle(h -> h.createUpdate("""
                        INSERT INTO live_chat_timeouts (live_id, user_id, until) VALUES (:l, :u, :t)
                        ON CONFLICT (live_id, user_id) DO UPDATE SET until = :t""")
                .bind("l", liveId).bind("u", userId).bind("t", until).execute());
    }

    @Override
    public Optional<Instant> timedOutUntil(String liveId, String userId) {
        return db.withHandle(h -> h.createQuery("SELECT until FROM live_chat_timeouts WHERE live_id = :l AND user_id = :u")
                .bind("l", liveId).bind("u", userId).map((rs, ctx) -> PgVideoRepository.instant(rs, "until")).findOne());
    }

    @Override
    public void setSlowMode(String liveId, int seconds) {
        db.useHandle(h -> h.createUpdate("UPDATE live_sessions SET chat_slow_mode_seconds = :s WHERE id = :l")
                .bind("l", liveId).bind("s", seconds).execute());
    }

    @Override
    public int slowMode(String liveId) {
        return db.withHandle(h -> h.createQuery("SELECT chat_slow_mode_seconds FROM live_sessions WHERE id = :l")
                .bind("l", liveId).mapTo(Integer.class).findOne().orElse(0));
    }
}
