package org.kinora.adapters.postgres;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.kinora.core.moderation.ItemKind;
import org.kinora.core.moderation.QueueEntry;
import org.kinora.core.moderation.QueueSort;
import org.kinora.core.moderation.Report;
import org.kinora.core.moderation.ReportReason;
import org.kinora.core.moderation.ReportRepository;

public final class PgReportRepository implements ReportRepository {
    static final RowMapper<Report> REPORT = (rs, ctx) -> new Report(rs.getString("id"), rs.getString("reporter_id"),
            ItemKind.parse(rs.getString("item_kind")).orElseThrow(), rs.getString("item_id"),
            ReportReason.parse(rs.getString("reason")).orElse(ReportReason.OTHER), rs.getString("note"),
            (Double) rs.getObject("at_seconds"), rs.getString("status"), rs.getString("outcome"),
            PgVideoRepository.instant(rs, "created_at"), PgVideoRepository.instant(rs, "resolved_at"));

    private final PostgresDatabase db;

    public PgReportRepository(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public boolean insert(Report r) {
        return db.withHandle(h -> h.createUpdate("""
                        INSERT INTO reports (id, reporter_id, item_kind, item_id, reason, note, at_seconds, created_at)
                        VALUES (:id, :reporter, :kind, :item, :reason, :note, :at, :created)
                        ON CONFLICT (reporter_id, item_kind, item_id) WHERE status = 'open' DO NOTHING""")
                .bind("id", r.id()).bind("reporter", r.reporterId()).bind("kind", r.kind().wireName()).bind("item", r.itemId())
                .bind("reason", r.reason().wireName()).bind("note", r.note()).bind("at", r.atSeconds()).bind("created", r.createdAt())
                .execute()) == 1;
    }

    @Override
    public List<QueueEntry.Reported> openItems(QueueSort sort, int limit, Optional<QueueEntry.After> after) {
        boolean most = sort == QueueSort.MOST_REPORTED;
        String order = most ? "n DESC, last_at DESC" : "last_at DESC";
        // The keyset of that order: after the cursor's item means fewer reports (most reported), or as many and an older
        // latest report, or the same latest report and a greater (kind, id) — the tie-breakers of ORDER BY.
        String newer = "(last_at < :at OR (last_at = :at AND (item_kind, item_id) > (:kind, :item)))";
        String where = after.isEmpty() ? "TRUE" : most ? "(n < :n OR (n = :n AND " + newer + "))" : newer;
        return db.withHandle(h -> {
            var q = h.createQuery("""
                        SELECT * FROM (
                            SELECT item_kind, item_id, count(*) AS n, min(created_at) AS first_at, max(created_at) AS last_at,
                                   min(at_seconds) AS at_seconds, string_agg(reason, ',' ORDER BY reason) AS reasons
                            FROM reports WHERE status = 'open' GROUP BY item_kind, item_id) q
                        WHERE %s
                        ORDER BY %s, item_kind, item_id LIMIT :limit""".formatted(where, order))
                .bind("limit", limit);
            after.ifPresent(a -> q.bind("n", a.count()).bind("at", a.lastAt()).bind("kind", a.kind().wireName()).bind("item", a.itemId()));
            return q.map((rs, ctx) -> {
                    Map<String, Integer> reasons = new LinkedHashMap<>();
                    for (String r : rs.getString("reasons").split(",")) reasons.merge(r, 1, Integer::sum);
                    return new QueueEntry.Reported(ItemKind.parse(rs.getString("item_kind")).orElseThrow(), rs.getString("item_id"),
                            rs.getInt("n"), PgVideoRepository.instant(rs, "first_at"), PgVideoRepository.instant(rs, "last_at"),
                            reasons, (Double) rs.getObject("at_seconds"));
                }).list();
        });
    }

    @Override
    public List<Report> openReports(ItemKind kind, String itemId, int limit) {
        return db.withHandle(h -> h.createQuery("""
                        SELECT * FROM reports WHERE item_kind = :kind AND item_id = :item AND status = 'open'
                        ORDER BY created_at DESC LIMIT :limit""")
                .bind("kind", kind.wireName()).bind("item", itemId).bind("limit", limit).map(REPORT).list());
    }

    @Override
    public int resolve(ItemKind kind, String itemId, String status, String outcome, Instant at) {
        return db.withHandle(h -> h.createUpdate("""
                        UPDATE reports SET status = :status, outcome = :outcome, resolved_at = :at
                        WHERE item_kind = :kind AND item_id = :item AND status = 'open'""")
                .bind("kind", kind.wireName()).bind("item", itemId).bind("status", status).bind("outcome", outcome).bind("at", at)
                .execute());
    }

    @Override
    public List<Report> byReporter(String reporterId, int limit) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM reports WHERE reporter_id = :r ORDER BY created_at DESC LIMIT :limit")
                .bind("r", reporterId).bind("limit", limit).map(REPORT).list());
    }
}
