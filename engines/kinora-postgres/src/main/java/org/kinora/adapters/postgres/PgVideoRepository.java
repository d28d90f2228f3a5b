package org.kinora.adapters.postgres;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.kinora.core.video.Privacy;
import org.kinora.core.video.Rendition;
import org.kinora.core.video.Video;
import org.kinora.core.video.VideoRepository;
import org.kinora.core.video.VideoStatus;

public final class PgVideoRepository implements VideoRepository {
    /** Shared with the repositories whose queries return videos (feeds, history, playlists). */
    static final RowMapper<Video> VIDEO = (rs, ctx) -> new Video(
            rs.getString("id"), rs.getString("owner_id"), rs.getString("title"), rs.getString("description"),
            Privacy.valueOf(rs.getString("privacy").toUpperCase(Locale.ROOT)),
            VideoStatus.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)),
            rs.getInt("progress"), rs.getString("failure_reason"),
            (Double) rs.getObject("duration_seconds"), (Integer) rs.getObject("width"), (Integer) rs.getObject("height"),
            instant(rs, "created_at"), instant(rs, "updated_at"), instant(rs, "published_at"), instant(rs, "deleted_at"),
            tags(rs));

    private static final RowMapper<Rendition> RENDITION = (rs, ctx) -> new Rendition(rs.getString("video_id"),
            rs.getString("name"), rs.getInt("width"), rs.getInt("height"), rs.getInt("bandwidth"),
            rs.getString("codecs"), rs.getDouble("frame_rate"));

    private final PostgresDatabase db;

    public PgVideoRepository(PostgresDatabase db) {
        this.db = db;
    }

    static List<String> tags(ResultSet rs) throws SQLException {
        java.sql.Array a = rs.getArray("tags");
        return a == null ? List.of() : List.of((String[]) a.getArray());
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    @Override
    public void insert(Video v) {
        db.useHandle(h -> h.createUpdate("""
                        INSERT INTO videos (id, owner_id, title, description, privacy, status, progress, created_at, updated_at, tags)
                        VALUES (:id, :owner, :title, :description, :privacy, :status, :progress, :createdAt, :updatedAt, :tags)""")
                .bindArray("tags", String.class, v.tags())
                .bind("id", v.id()).bind("owner", v.ownerId()).bind("title", v.title())
                .bind("description", v.description()).bind("privacy", v.privacy().wireName())
                .bind("status", v.status().wireName()).bind("progress", v.progress())
                .bind("createdAt", v.createdAt()).bind("updatedAt", v.updatedAt())
                .execute());
    }

    @Override
    public Optional<Video> find(String id) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM videos WHERE id = :id").bind("id", id).map(VIDEO).findOne());
    }

    @Override
    public void updateDetails(String id, String title, String description, Privacy privacy) {
        db.useHandle(h -> h.createUpdate("""
                        UPDATE videos SET title = :title, description = :description, privacy = :privacy, updated_at = now()
                        WHERE id = :id""")
                .bind("id", id).bind("title", title).bind("description", description).bind("privacy", privacy.wireName())
                .execute());
    }

    @Override
    public void markPicturesChanged(String id) {
        // clock_timestamp(), not now(): inside a longer transaction now() could repeat the revision already in use.
        db.useHandle(h -> h.createUpdate("UPDATE videos SET updated_at = greatest(clock_timestamp(), updated_at + interval '1 microsecond') WHERE id = :id")
                .bind("id", id).execute());
    }

    @Override
    public void updateTags(String id, List<String> tags) {
        db.useHandle(h -> h.createUpdate("UPDATE videos SET tags = :tags, updated_at = now() WHERE id = :id")
                .bind("id", id).bindArray("tags", String.class, tags).execute());
    }

    @Override
    public List<Video> findMany(Collection<String> ids) {
        if (ids.isEmpty()) return List.of();
        return db.withHandle(h -> h.createQuery("SELECT * FROM videos WHERE id = ANY(:ids)")
                .bindArray("ids", String.class, ids).map(VIDEO).list());
    }

    @Override
    public void updateStatus(String id, VideoStatus status, int progress, String failureReason) {
        db.useHandle(h -> h.createUpdate("""
                        UPDATE videos SET status = :status, progress = :progress, failure_reason = :reason, updated_at = now()
                        WHERE id = :id""")
                .bind("id", id).bind("status", status.wireName()).bind("progress", progress).bind("reason", failureReason)
                .execute());
    }

    @Override
    public void updateProgress(String id, int progress) {
        // Not once processed: a chunk that counted the others before the last one was done, or the
        // first-rung job reporting its own end, may write after the assembly's 100.
        db.useHandle(h -> h.createUpdate("""
                        UPDATE videos SET progress = :p, updated_at = now()
                        WHERE id = :id AND progress <> :p AND processed_at IS NULL""")
                .bind("id", id).bind("p", Math.max(0, Math.min(100, progress))).execute());
    }

    @Override
    public boolean markProcessed(String id) {
        // One statement, so PostgreSQL decides: a second finisher's UPDATE waits on the first's
        // row lock and, once that commits, re-checks its WHERE on the updated row (READ
        // COMMITTED), finds processed_at set and changes nothing.
        return db.withHandle(h -> h.createUpdate("""
                        UPDATE videos SET status = 'ready', progress = 100, failure_reason = NULL,
                               processed_at = now(), updated_at = now()
                        WHERE id = :id AND processed_at IS NULL AND deleted_at IS NULL""")
                .bind("id", id).execute()) > 0;
    }

    @Override
    public void updateSourceInfo(String id, double durationSeconds, int width, int height) {
        db.useHandle(h -> h.createUpdate("""
                        UPDATE videos SET duration_seconds = :d, width = :w, height = :h, updated_at = now() WHERE id = :id""")
                .bind("id", id).bind("d", durationSeconds).bind("w", width).bind("h", height).execute());
    }

    @Override
    public void markReady(String id) {
        db.useHandle(h -> h.createUpdate("""
                        UPDATE videos SET status = 'ready', failure_reason = NULL,
                               published_at = coalesce(published_at, now()), updated_at = now()
                        WHERE id = :id""")
                .bind("id", id).execute());
    }

    @Override
    public void markDeleted(String id, Instant at) {
        db.useHandle(h -> h.createUpdate("UPDATE videos SET deleted_at = :at, updated_at = now() WHERE id = :id AND deleted_at IS NULL")
                .bind("id", id).bind("at", at).execute());
    }

    @Override
    public List<Video> listPublicReady(Optional<Cursor> after, int limit) {
        return db.withReadHandle(h -> {
            var q = h.createQuery("""
                    SELECT * FROM videos
                    WHERE privacy = 'public' AND status = 'ready' AND deleted_at IS NULL AND WITHHELD
                      AND (CAST(:afterTime AS timestamptz) IS NULL OR (published_at, id) < (:afterTime, :afterId))
                    ORDER BY published_at DESC, id DESC
                    LIMIT :limit""".replace("WITHHELD", PgRestrictionRepository.notWithheld("videos")));
            q.bind("afterTime", after.map(Cursor::publishedAt).orElse(null));
            q.bind("afterId", after.map(Cursor::id).orElse(null));
            return q.bind("limit", limit).map(VIDEO).list();
        });
    }

    @Override
    public List<Video> listByOwner(String ownerId, int limit) {
        return db.withHandle(h -> h.createQuery("""
                        SELECT * FROM videos WHERE owner_id = :owner AND deleted_at IS NULL ORDER BY created_at DESC, id DESC LIMIT :limit""")
                .bind("owner", ownerId).bind("limit", limit).map(VIDEO).list());
    }

    @Override
    public List<Video> listPublicReadyByOwner(String ownerId, Optional<Cursor> after, int limit) {
        return db.withReadHandle(h -> h.createQuery("""
                        SELECT * FROM videos
                        WHERE owner_id = :owner AND privacy = 'public' AND status = 'ready' AND deleted_at IS NULL AND WITHHELD
                          AND (CAST(:afterTime AS timestamptz) IS NULL OR (published_at, id) < (:afterTime, :afterId))
                        ORDER BY published_at DESC, id DESC
                        LIMIT :limit""".replace("WITHHELD", PgRestrictionRepository.notWithheld("videos")))
                .bind("owner", ownerId)
                .bind("afterTime", after.map(Cursor::publishedAt).orElse(null))
                .bind("afterId", after.map(Cursor::id).orElse(null))
                .bind("limit", limit).map(VIDEO).list());
    }

    @Override
    public void upsertRendition(Rendition r) {
        db.useHandle(h -> h.createUpdate("""
                        INSERT INTO renditions (video_id, name, width, height, bandwidth, codecs, frame_rate)
                        VALUES (:video, :name, :w, :h, :bw, :codecs, :fps)
                        ON CONFLICT (video_id, name) DO UPDATE SET width = excluded.width, height = excluded.height,
                            bandwidth = excluded.bandwidth, codecs = excluded.codecs, frame_rate = excluded.frame_rate""")
                .bind("video", r.videoId()).bind("name", r.name()).bind("w", r.width()).bind("h", r.height())
                .bind("bw", r.bandwidth()).bind("codecs", r.codecs()).bind("fps", r.frameRate()).execute());
    }

    @Override
    public void deleteRendition(String videoId, String name) {
        db.useHandle(h -> h.createUpdate("DELETE FROM renditions WHERE video_id = :video AND name = :name")
                .bind("video", videoId).bind("name", name).execute());
    }

    @Override
    public java.util.Map<String, List<Rendition>> renditions(java.util.Collection<String> videoIds) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM renditions WHERE video_id = ANY(:ids) ORDER BY video_id, height, bandwidth")
                        .bindArray("ids", String.class, List.copyOf(videoIds)).map(RENDITION).list())
                .stream().collect(java.util.stream.Collectors.groupingBy(Rendition::videoId));
    }

    @Override
    public List<Rendition> renditions(String videoId) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM renditions WHERE video_id = :v ORDER BY height, bandwidth")
                .bind("v", videoId).map(RENDITION).list());
    }
}
