package org.kinora.adapters.postgres;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.kinora.core.channel.Subscription;
import org.kinora.core.channel.SubscriptionRepository;
import org.kinora.core.video.Video;
import org.kinora.core.video.VideoRepository;

public final class PgSubscriptionRepository implements SubscriptionRepository {
    private final PostgresDatabase db;

    public PgSubscriptionRepository(PostgresDatabase db) {
        this.db = db;
    }

    /**
     * One statement: the count moves only when the insert really inserted, so two concurrent
     * identical requests (the second waits on the first's uncommitted key, then does nothing)
     * count once.
     */
    @Override
    public boolean subscribe(String subscriberId, String channelId, Instant at) {
        return db.withHandle(h -> h.createQuery("""
                        WITH added AS (
                            INSERT INTO subscriptions (subscriber_id, channel_id, created_at) VALUES (:s, :c, :at)
                            ON CONFLICT DO NOTHING RETURNING channel_id),
                        bumped AS (
                            UPDATE channels SET subscriber_count = subscriber_count + 1 WHERE id IN (SELECT channel_id FROM added)
                            RETURNING id)
                        SELECT count(*) FROM bumped""")
                .bind("s", subscriberId).bind("c", channelId).bind("at", at).mapTo(Integer.class).one()) == 1;
    }

    @Override
    public boolean unsubscribe(String subscriberId, String channelId) {
        return db.withHandle(h -> h.createQuery("""
                        WITH removed AS (
                            DELETE FROM subscriptions WHERE subscriber_id = :s AND channel_id = :c RETURNING channel_id),
                        lowered AS (
                            UPDATE channels SET subscriber_count = subscriber_count - 1 WHERE id IN (SELECT channel_id FROM removed)
                            RETURNING id)
                        SELECT count(*) FROM lowered""")
                .bind("s", subscriberId).bind("c", channelId).mapTo(Integer.class).one()) == 1;
    }

    @Override
    public boolean isSubscribed(String subscriberId, String channelId) {
        return db.withHandle(h -> h.createQuery("SELECT EXISTS (SELECT 1 FROM subscriptions WHERE subscriber_id = :s AND channel_id = :c)")
                .bind("s", subscriberId).bind("c", channelId).mapTo(Boolean.class).one());
    }

    @Override
    public List<Subscription> subscriptions(String subscriberId, Optional<Subscription.Cursor> after, int limit) {
        return db.withHandle(h -> h.createQuery("""
                        SELECT c.*, s.created_at AS subscribed_at FROM subscriptions s JOIN channels c ON c.id = s.channel_id
                        WHERE s.subscriber_id = :s
                          AND (CAST(:afterTime AS timestamptz) IS NULL OR (s.created_at, s.channel_id) < (:afterTime, :afterId))
                        ORDER BY s.created_at DESC, s.channel_id DESC LIMIT :limit""")
                .bind("s", subscriberId)
                .bind("afterTime", after.map(Subscription.Cursor::subscribedAt).orElse(null))
                .bind("afterId", after.map(Subscription.Cursor::channelId).orElse(null))
                .bind("limit", limit)
                .map((rs, ctx) -> new Subscription(PgChannelRepository.CHANNEL.map(rs, ctx), PgVideoRepository.instant(rs, "subscribed_at")))
                .list());
    }

    /**
     * Fan-out on read: per followed channel, at most {@code limit} rows from the partial index
     * videos_channel_feed (already in feed order), then one merge. Cost grows with the number of
     * channels followed (capped), not with how many videos they have.
     */
    @Override
    public List<Video> feed(String subscriberId, Optional<VideoRepository.Cursor> after, int limit) {
        return db.withReadHandle(h -> h.createQuery("""
                        SELECT v.* FROM subscriptions s
                        CROSS JOIN LATERAL (
                            SELECT * FROM videos
                            WHERE owner_id = s.channel_id AND privacy = 'public' AND status = 'ready' AND deleted_at IS NULL AND WITHHELD
                              AND (CAST(:afterTime AS timestamptz) IS NULL OR (published_at, id) < (:afterTime, :afterId))
                            ORDER BY published_at DESC, id DESC
                            LIMIT :limit) v
                        WHERE s.subscriber_id = :s
                        ORDER BY v.published_at DESC, v.id DESC
                        LIMIT :limit""".replace("WITHHELD", PgRestrictionRepository.notWithheld("videos")))
                .bind("s", subscriberId)
                .bind("afterTime", after.map(VideoRepository.Cursor::publishedAt).orElse(null))
                .bind("afterId", after.map(VideoRepository.Cursor::id).orElse(null))
                .bind("limit", limit).map(PgVideoRepository.VIDEO).list());
    }

    @Override
    public int count(String subscriberId) {
        return db.withHandle(h -> h.createQuery("SELECT count(*) FROM subscriptions WHERE subscriber_id = :s")
                .bind("s", subscriberId).mapTo(Integer.class).one());
    }
}
