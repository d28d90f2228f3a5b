package org.kinora.adapters.postgres;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.mapper.RowMapper;
import org.kinora.core.moderation.CommentMode;
import org.kinora.core.moderation.RestrictionRepository;
import org.kinora.core.moderation.VideoFlags;

public final class PgRestrictionRepository implements RestrictionRepository {
    /**
     * The condition every public listing adds (videos aliased {@code alias}): nothing taken down,
     * held for review, or of a terminated channel. Anti-joins on primary keys, cheap next to the
     * listings' own indexes.
     */
    public static String notWithheld(String alias) {
        return "NOT EXISTS (SELECT 1 FROM video_moderation vm WHERE vm.video_id = " + alias
                + ".id AND (vm.taken_down_at IS NOT NULL OR vm.held_at IS NOT NULL))"
                + " AND NOT EXISTS (SELECT 1 FROM account_standing st WHERE st.user_id = " + alias
                + ".owner_id AND st.terminated_at IS NOT NULL)";
    }

    private static final RowMapper<VideoFlags> FLAGS = (rs, ctx) -> new VideoFlags(rs.getString("video_id"),
            PgVideoRepository.instant(rs, "taken_down_at"), rs.getString("takedown_reason"), PgVideoRepository.instant(rs, "held_at"),
            rs.getString("hold_reason"), rs.getBoolean("age_restricted"), rs.getBoolean("sensitive"),
            CommentMode.parse(rs.getString("comments")).orElse(CommentMode.ON));

    private final PostgresDatabase db;

    public PgRestrictionRepository(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public Optional<VideoFlags> flags(String videoId) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM video_moderation WHERE video_id = :v").bind("v", videoId).map(FLAGS).findOne());
    }

    @Override
    public Map<String, VideoFlags> flags(Collection<String> videoIds) {
        if (videoIds.isEmpty()) return Map.of();
        List<VideoFlags> rows = db.withHandle(h -> h.createQuery("SELECT * FROM video_moderation WHERE video_id IN (<ids>)")
                .bindList("ids", List.copyOf(videoIds)).map(FLAGS).list());
        return rows.stream().collect(Collectors.toMap(VideoFlags::videoId, Function.identity()));
    }

    private void upsert(String videoId, String set, Map<String, Object> values) {
        db.useHandle(h -> {
            var u = h.createUpdate("INSERT INTO video_moderation (video_id) VALUES (:v) ON CONFLICT (video_id) DO NOTHING");
            u.bind("v", videoId).execute();
            var update = h.createUpdate("UPDATE video_moderation SET " + set + " WHERE video_id = :v").bind("v", videoId);
            values.forEach(update::bind);
            update.execute();
        });
    }

    @Override
    public void setTakedown(String videoId, Instant at, String reason) {
        upsert(videoId, "taken_down_at = :at, takedown_reason = :r", nullable("at", at, "r", reason));
    }

    @Override
    public void setHold(String videoId, Instant at, String reason) {
        upsert(videoId, "held_at = :at, hold_reason = :r", nullable("at", at, "r", reason));
    }

    @Override
    public List<VideoFlags> heldVideos(int limit) {
        return db.withHandle(h -> h.createQuery("""
                        SELECT m.* FROM video_moderation m JOIN videos v ON v.id = m.video_id
                        WHERE m.held_at IS NOT NULL AND m.taken_down_at IS NULL AND v.deleted_at IS NULL
                        ORDER BY m.held_at LIMIT :limit""").bind("limit", limit).map(FLAGS).list());
    }

    @Override
    public List<VideoFlags> heldVideosOf(String ownerId, int limit) {
        return db.withHandle(h -> h.createQuery("""
                        SELECT m.* FROM video_moderation m JOIN videos v ON v.id = m.video_id
                        WHERE v.owner_id = :o AND m.held_at IS NOT NULL AND m.taken_down_at IS NULL AND v.deleted_at IS NULL
                        ORDER BY m.held_at LIMIT :limit""").bind("o", ownerId).bind("limit", limit).map(FLAGS).list());
    }

    @Override
    public void setAgeRestricted(String videoId, boolean on) {
        upsert(videoId, "age_restricted = :on", Map.of("on", on));
    }

    @Override
    public void setSensitive(String videoId, boolean on) {
        upsert(videoId, "sensitive = :on", Map.of("on", on));
    }

    @Override
    public void setComments(String videoId, CommentMode mode) {
        upsert(videoId, "comments = :m", Map.of("m", mode.wireName()));
    }

    @Override
    public void holdComment(String commentId, Instant at) {
        db.useHandle(h -> h.createUpdate("UPDATE comments SET held_at = :at WHERE id = :id").bind("id", commentId).bind("at", at).execute());
    }

    @Override
    public void releaseComment(String commentId) {
        db.useHandle(h -> h.createUpdate("UPDATE comments SET held_at = NULL WHERE id = :id").bind("id", commentId).execute());
    }

    @Override
    public java.util.Set<String> heldComments(Collection<String> commentIds) {
        if (commentIds.isEmpty()) return java.util.Set.of();
        return new java.util.HashSet<>(db.withHandle(h -> h.createQuery("SELECT id FROM comments WHERE id IN (<ids>) AND held_at IS NOT NULL")
                .bindList("ids", List.copyOf(commentIds)).mapTo(String.class).list()));
    }

    @Override
    public List<String> heldCommentsOf(String videoId, int limit) {
        return db.withHandle(h -> h.createQuery("""
                        SELECT id FROM comments WHERE video_id = :v AND held_at IS NOT NULL AND deleted_at IS NULL
                        ORDER BY held_at LIMIT :limit""").bind("v", videoId).bind("limit", limit).mapTo(String.class).list());
    }

    private static Map<String, Object> nullable(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new java.util.HashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    @Override
    public Optional<StoredStanding> standing(String userId) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM account_standing WHERE user_id = :u").bind("u", userId)
                .map((rs, ctx) -> new StoredStanding(PgVideoRepository.instant(rs, "frozen_until"),
                        suspended(PgVideoRepository.instant(rs, "suspended_until")), PgVideoRepository.instant(rs, "terminated_at")))
                .findOne());
    }

    @Override
    public void lockStanding(String userId) {
        db.useHandle(h -> h.createQuery("SELECT pg_advisory_xact_lock(hashtext('standing:' || :u))")
                .bind("u", userId).mapTo(String.class).one());
    }

    @Override
    public void saveStanding(String userId, StoredStanding s) {
        db.useHandle(h -> h.createUpdate("""
                        INSERT INTO account_standing (user_id, frozen_until, suspended_until, terminated_at) VALUES (:u, :f, :s, :t)
                        ON CONFLICT (user_id) DO UPDATE SET frozen_until = :f, suspended_until = :s, terminated_at = :t""")
                .bind("u", userId).bind("f", s.frozenUntil()).bind("s", stored(s.suspendedUntil())).bind("t", s.terminatedAt())
                .execute());
    }

    /** PostgreSQL's 'infinity' stands for a suspension without end (Instant.MAX does not fit a timestamptz). */
    private static Instant stored(Instant suspendedUntil) {
        return suspendedUntil != null && suspendedUntil.equals(Instant.MAX) ? INFINITE : suspendedUntil;
    }

    private static Instant suspended(Instant stored) {
        return stored != null && !stored.isBefore(INFINITE) ? Instant.MAX : stored;
    }

    /** Far enough: year 9999. */
    private static final Instant INFINITE = Instant.parse("9999-12-31T00:00:00Z");
}
