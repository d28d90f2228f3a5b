package org.kinora.adapters.postgres;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.kinora.core.notify.Notification;
import org.kinora.core.notify.NotificationRepository;

/** Nobody is notified of what a channel they blocked did (channel_blocks, issue 18). */
public final class PgNotificationRepository implements NotificationRepository {
    private static final RowMapper<Notification> NOTIFICATION = (rs, ctx) -> new Notification(rs.getLong("id"),
            rs.getString("user_id"), rs.getString("type"), rs.getString("actor_id"), rs.getString("video_id"),
            rs.getString("comment_id"), rs.getString("message"), PgVideoRepository.instant(rs, "created_at"),
            PgVideoRepository.instant(rs, "read_at"));

    /**
     * Notifications made before the user blocked their actor's channel are kept (unblocking brings
     * them back) but not listed or counted while the block lasts.
     */
    private static final String NOT_BLOCKED =
            "NOT EXISTS (SELECT 1 FROM channel_blocks b WHERE b.user_id = n.user_id AND b.channel_id = n.actor_id)";

    private final PostgresDatabase db;

    public PgNotificationRepository(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public Optional<Notification> insert(String userId, Notification.Draft d, Instant at) {
        return db.withHandle(h -> h.createQuery("""
                        INSERT INTO notifications (user_id, type, actor_id, video_id, comment_id, message, dedup_key, created_at)
                        SELECT :u, :type, :actor, :video, :comment, :message, :dedup, :at
                        WHERE NOT EXISTS (SELECT 1 FROM channel_blocks b WHERE b.user_id = :u AND b.channel_id = :actor)
                        ON CONFLICT (user_id, dedup_key) DO NOTHING RETURNING *""")
                .bind("u", userId).bind("type", d.type()).bind("actor", d.actorId()).bind("video", d.videoId())
                .bind("comment", d.commentId()).bind("message", d.message()).bind("dedup", d.dedupKey()).bind("at", at)
                .map(NOTIFICATION).findOne());
    }

    @Override
    public List<Notification> insertForSubscribers(String channelId, Notification.Draft d, Instant at) {
        return db.withHandle(h -> h.createQuery("""
                        INSERT INTO notifications (user_id, type, actor_id, video_id, comment_id, message, dedup_key, created_at)
                        SELECT s.subscriber_id, :type, :actor, :video, :comment, :message, :dedup, :at
                        FROM subscriptions s WHERE s.channel_id = :c
                          AND NOT EXISTS (SELECT 1 FROM channel_blocks b WHERE b.user_id = s.subscriber_id AND b.channel_id = :c)
                        ON CONFLICT (user_id, dedup_key) DO NOTHING RETURNING *""")
                .bind("c", channelId).bind("type", d.type()).bind("actor", d.actorId()).bind("video", d.videoId())
                .bind("comment", d.commentId()).bind("message", d.message()).bind("dedup", d.dedupKey()).bind("at", at)
                .map(NOTIFICATION).list());
    }

    @Override
    public List<Notification> list(String userId, Optional<Long> beforeId, int limit) {
        return db.withHandle(h -> h.createQuery("""
                        SELECT * FROM notifications n WHERE user_id = :u AND (CAST(:before AS bigint) IS NULL OR id < :before) AND NOT_BLOCKED
                        ORDER BY id DESC LIMIT :limit""".replace("NOT_BLOCKED", NOT_BLOCKED))
                .bind("u", userId).bind("before", beforeId.orElse(null)).bind("limit", limit).map(NOTIFICATION).list());
    }

    @Override
    public long unreadCount(String userId) {
        return db.withHandle(h -> h.createQuery("SELECT count(*) FROM notifications n WHERE user_id = :u AND read_at IS NULL AND " + NOT_BLOCKED)
                .bind("u", userId).mapTo(Long.class).one());
    }

    @Override
    public int markRead(String userId, List<Long> ids, Instant at) {
        return db.withHandle(h -> h.createUpdate("""
                        UPDATE notifications SET read_at = :at
                        WHERE user_id = :u AND read_at IS NULL AND (cardinality(CAST(:ids AS bigint[])) = 0 OR id = ANY(:ids))""")
                .bind("u", userId).bindArray("ids", Long.class, ids).bind("at", at).execute());
    }
}
