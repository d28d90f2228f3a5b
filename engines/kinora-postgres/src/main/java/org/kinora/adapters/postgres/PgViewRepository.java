package org.kinora.adapters.postgres;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.kinora.core.view.ViewRepository;

public final class PgViewRepository implements ViewRepository {
    private final PostgresDatabase db;

    public PgViewRepository(PostgresDatabase db) {
        this.db = db;
    }

    /**
     * One statement per batch. The dedup mark of (video, viewer) only moves forward when the
     * previous counted view is at least a window old; the rows it returns are the views counted,
     * and the same statement adds them to the totals and the day. Concurrent batches (several API
     * nodes) meet on the mark's primary key, so a view is counted once whichever node saw it.
     */
    @Override
    public Map<String, Integer> count(List<Hit> hits, Duration window) {
        if (hits.isEmpty()) return Map.of();
        // A stable order of video rows keeps two concurrent batches from deadlocking on video_stats.
        List<Hit> sorted = hits.stream().sorted(Comparator.comparing(Hit::videoId).thenComparing(Hit::viewerKey)).toList();
        return db.withHandle(h -> h.createQuery("""
                        WITH input AS (
                            SELECT * FROM unnest(CAST(:videos AS text[]), CAST(:viewers AS text[]), CAST(:ats AS bigint[]))
                                AS t(video_id, viewer_key, at_ms)),
                        counted AS (
                            INSERT INTO view_marks (video_id, viewer_key, last_counted_at)
                            SELECT i.video_id, i.viewer_key, to_timestamp(i.at_ms / 1000.0)
                            -- Unknown and deleted videos are dropped; a private one counts only its owner's views.
                            FROM input i JOIN videos v ON v.id = i.video_id AND v.deleted_at IS NULL
                                AND (v.privacy <> 'private' OR i.viewer_key = 'u:' || v.owner_id)
                            ORDER BY i.video_id, i.viewer_key
                            ON CONFLICT (video_id, viewer_key) DO UPDATE SET last_counted_at = excluded.last_counted_at
                                WHERE view_marks.last_counted_at <= excluded.last_counted_at - make_interval(secs => :window)
                            RETURNING video_id, last_counted_at),
                        totals AS (
                            INSERT INTO video_stats (video_id, view_count)
                            SELECT video_id, count(*) FROM counted GROUP BY video_id ORDER BY video_id
                            ON CONFLICT (video_id) DO UPDATE SET view_count = video_stats.view_count + excluded.view_count
                            RETURNING video_id),
                        days AS (
                            INSERT INTO video_daily_stats (video_id, day, views)
                            SELECT video_id, (last_counted_at AT TIME ZONE 'UTC')::date, count(*) FROM counted GROUP BY 1, 2 ORDER BY 1, 2
                            ON CONFLICT (video_id, day) DO UPDATE SET views = video_daily_stats.views + excluded.views
                            RETURNING video_id)
                        SELECT video_id, count(*) AS views FROM counted
                        -- Referencing the other two makes sure they run (and reads no extra rows).
                        WHERE (SELECT count(*) FROM totals) >= 0 AND (SELECT count(*) FROM days) >= 0
                        GROUP BY video_id ORDER BY video_id""")
                .bindArray("videos", String.class, sorted.stream().map(Hit::videoId).toList())
                .bindArray("viewers", String.class, sorted.stream().map(Hit::viewerKey).toList())
                .bindArray("ats", Long.class, sorted.stream().map(x -> x.at().toEpochMilli()).toList())
                .bind("window", (double) window.toSeconds())
                .map((rs, ctx) -> Map.entry(rs.getString("video_id"), rs.getInt("views")))
                .collectToMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    @Override
    public int pruneMarks(Instant olderThan) {
        return db.withHandle(h -> h.createUpdate("DELETE FROM view_marks WHERE last_counted_at < :t").bind("t", olderThan).execute());
    }

    @Override
    public List<Daily> daily(String videoId, LocalDate from, LocalDate to) {
        return db.withHandle(h -> h.createQuery("""
                        SELECT d::date AS day, coalesce(s.views, 0) AS views
                        FROM generate_series(CAST(:from AS date), CAST(:to AS date), interval '1 day') d
                        LEFT JOIN video_daily_stats s ON s.video_id = :v AND s.day = d::date
                        ORDER BY d""")
                .bind("v", videoId).bind("from", from).bind("to", to)
                .map((rs, ctx) -> new Daily(rs.getDate("day").toLocalDate(), rs.getLong("views"))).list());
    }
}
