package org.kinora.adapters.postgres;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.kinora.core.view.HistoryRepository;

public final class PgHistoryRepository implements HistoryRepository {
    private static final RowMapper<Entry> ENTRY = (rs, ctx) -> new Entry(PgVideoRepository.VIDEO.map(rs, ctx),
            rs.getDouble("h_position"), rs.getBoolean("h_completed"), PgVideoRepository.instant(rs, "h_updated_at"));

    /**
     * History rows joined with the videos the user may still see: their own (a taken-down one then opens
     * on the page that says so), or others' that are not private, taken down, held or of a terminated channel.
     */
    private static final String SELECT = """
            SELECT v.*, h.position_seconds AS h_position, h.completed AS h_completed, h.updated_at AS h_updated_at
            FROM watch_history h JOIN videos v ON v.id = h.video_id
            WHERE h.user_id = :u AND v.deleted_at IS NULL AND (v.owner_id = :u OR (v.privacy <> 'private' AND WITHHELD))
            """.replace("WITHHELD", PgRestrictionRepository.notWithheld("v"));

    private final PostgresDatabase db;

    public PgHistoryRepository(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public void record(List<Position> positions) {
        if (positions.isEmpty()) return;
        List<Position> sorted = positions.stream().sorted(Comparator.comparing(Position::userId).thenComparing(Position::videoId)).toList();
        upsert(sorted.stream().filter(p -> p.positionSeconds() != null).toList(),
                "position_seconds = excluded.position_seconds, ");
        // A report without a position (a bare start) must not rewind the resume point.
        upsert(sorted.stream().filter(p -> p.positionSeconds() == null).toList(), "");
    }

    private void upsert(List<Position> rows, String setPosition) {
        if (rows.isEmpty()) return;
        db.useHandle(h -> h.createUpdate("""
                        INSERT INTO watch_history AS w (user_id, video_id, position_seconds, completed, first_watched_at, updated_at)
                        SELECT i.user_id, i.video_id, coalesce(i.pos, 0), i.completed,
                               to_timestamp(i.at_ms / 1000.0), to_timestamp(i.at_ms / 1000.0)
                        FROM unnest(CAST(:users AS text[]), CAST(:videos AS text[]), CAST(:positions AS double precision[]),
                                    CAST(:completed AS boolean[]), CAST(:ats AS bigint[])) AS i(user_id, video_id, pos, completed, at_ms)
                        JOIN users u ON u.id = i.user_id AND NOT u.history_paused
                        JOIN videos v ON v.id = i.video_id AND v.deleted_at IS NULL
                            AND (v.privacy <> 'private' OR v.owner_id = i.user_id)
                        ON CONFLICT (user_id, video_id) DO UPDATE SET %s
                            completed = excluded.completed, updated_at = excluded.updated_at
                        WHERE w.updated_at <= excluded.updated_at""".formatted(setPosition))
                .bindArray("users", String.class, rows.stream().map(Position::userId).toList())
                .bindArray("videos", String.class, rows.stream().map(Position::videoId).toList())
                .bindArray("positions", Double.class, rows.stream().map(Position::positionSeconds).toList())
                .bindArray("completed", Boolean.class, rows.stream().map(Position::completed).toList())
                .bindArray("ats", Long.class, rows.stream().map(p -> p.at().toEpochMilli()).toList())
                .execute());
    }

    @Override
    public List<Entry> list(String userId, Optional<Cursor> after, int limit) {
        return db.withHandle(h -> h.createQuery(SELECT + """
                          AND (CAST(:afterTime AS timestamptz) IS NULL OR (h.updated_at, h.video_id) < (:afterTime, :afterId))
                        ORDER BY h.updated_at DESC, h.video_id DESC LIMIT :limit""")
                .bind("u", userId)
                .bind("afterTime", after.map(Cursor::updatedAt).orElse(null))
                .bind("afterId", after.map(Cursor::videoId).orElse(null))
                .bind("limit", limit).map(ENTRY).list());
    }

    @Override
    public List<Entry> unfinished(String userId, int limit) {
        return db.withHandle(h -> h.createQuery(SELECT + """
                          AND NOT h.completed AND h.position_seconds > 0
                          AND (v.duration_seconds IS NULL OR h.position_seconds < v.duration_seconds - 1)
                        ORDER BY h.updated_at DESC, h.video_id DESC LIMIT :limit""")
                .bind("u", userId).bind("limit", limit).map(ENTRY).list());
    }

    @Override
    public Optional<Entry> find(String userId, String videoId) {
        return db.withHandle(h -> h.createQuery(SELECT + " AND h.video_id = :v").bind("u", userId).bind("v", videoId)
                .map(ENTRY).findOne());
    }

    @Override
    public int clear(String userId) {
        return db.withHandle(h -> h.createUpdate("DELETE FROM watch_history WHERE user_id = :u").bind("u", userId).execute());
    }

    @Override
    public boolean remove(String userId, String videoId) {
        return db.withHandle(h -> h.createUpdate("DELETE FROM watch_history WHERE user_id = :u AND video_id = :v")
                .bind("u", userId).bind("v", videoId).execute()) == 1;
    }
}
