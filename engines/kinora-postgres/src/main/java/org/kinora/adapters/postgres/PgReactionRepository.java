package org.kinora.adapters.postgres;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.kinora.core.engagement.Rating;
import org.kinora.core.engagement.ReactionRepository;

/**
 * Every change is one row operation whose outcome (inserted, flipped, deleted, or nothing)
 * decides the counter delta, applied in the same transaction. Row locks make concurrent
 * requests for the same (video, user) serialise: the second sees the first's result and
 * changes nothing, so a double click counts once.
 */
public final class PgReactionRepository implements ReactionRepository {
    private final PostgresDatabase db;

    public PgReactionRepository(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public Rating set(String videoId, String userId, Rating rating, Instant at) {
        return db.withHandle(h -> {
            if (rating == Rating.NONE) {
                Optional<Integer> removed = h.createQuery("DELETE FROM video_reactions WHERE video_id = :v AND user_id = :u RETURNING value")
                        .bind("v", videoId).bind("u", userId).mapTo(Integer.class).findOne();
                removed.ifPresent(old -> adjust(h, videoId, Rating.of(old), -1));
                return removed.map(Rating::of).orElse(Rating.NONE);
            }
            int inserted = h.createUpdate("""
                            INSERT INTO video_reactions (video_id, user_id, value, created_at) VALUES (:v, :u, :value, :at)
                            ON CONFLICT DO NOTHING""")
                    .bind("v", videoId).bind("u", userId).bind("value", rating.value).bind("at", at).execute();
            if (inserted == 1) {
                adjust(h, videoId, rating, +1);
                return Rating.NONE;
            }
            int flipped = h.createUpdate("""
                            UPDATE video_reactions SET value = :value, created_at = :at
                            WHERE video_id = :v AND user_id = :u AND value <> :value""")
                    .bind("v", videoId).bind("u", userId).bind("value", rating.value).bind("at", at).execute();
            if (flipped == 1) {
                Rating old = rating == Rating.LIKE ? Rating.DISLIKE : Rating.LIKE;
                adjust(h, videoId, old, -1);
                adjust(h, videoId, rating, +1);
                return old;
            }
            return rating;
        });
    }

    private static void adjust(Handle h, String videoId, Rating rating, int delta) {
        String column = rating == Rating.LIKE ? "like_count" : "dislike_count";
        h.createUpdate("INSERT INTO video_stats (video_id, " + column + ") VALUES (:v, greatest(:d, 0)) "
                        + "ON CONFLICT (video_id) DO UPDATE SET " + column + " = video_stats." + column + " + :d")
                .bind("v", videoId).bind("d", delta).execute();
    }

    @Override
    public Rating get(String videoId, String userId) {
        return db.withHandle(h -> h.createQuery("SELECT value FROM video_reactions WHERE video_id = :v AND user_id = :u")
                .bind("v", videoId).bind("u", userId).mapTo(Integer.class).findOne().map(Rating::of).orElse(Rating.NONE));
    }

    @Override
    public Map<String, Rating> get(Collection<String> videoIds, String userId) {
        if (videoIds.isEmpty()) return Map.of();
        return db.withHandle(h -> h.createQuery("SELECT video_id, value FROM video_reactions WHERE user_id = :u AND video_id = ANY(:ids)")
                        .bind("u", userId).bindArray("ids", String.class, List.copyOf(videoIds))
                        .map((rs, ctx) -> Map.entry(rs.getString("video_id"), Rating.of(rs.getInt("value")))).list())
                .stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
