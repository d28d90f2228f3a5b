package org.kinora.adapters.postgres;

import java.util.Optional;
import java.util.function.Consumer;
import org.jdbi.v3.core.mapper.RowMapper;
import org.kinora.core.search.SearchDocument;
import org.kinora.core.search.SearchDocumentSource;

/**
 * Search documents straight from the system of record: video, owner's username and channel name,
 * caption text, Studio details, view total and
 * trending heat (from engagement's counters, computed as {@link PgSearchEngine} does).
 */
public final class PgSearchDocuments implements SearchDocumentSource {
    private static final String SELECT = """
            SELECT v.id, v.owner_id, u.username, v.title, v.description, v.tags, v.duration_seconds, v.published_at,
                   coalesce(s.view_count, 0) AS views, coalesce(HEAT, 0) AS heat, now() AS heat_at,
                   c.display_name, d.category, d.language, d.chapters,
                   (SELECT string_agg(vc.search_text, ' ') FROM video_captions vc WHERE vc.video_id = v.id) AS captions
            FROM videos v JOIN users u ON u.id = v.owner_id LEFT JOIN video_stats s ON s.video_id = v.id
            LEFT JOIN channels c ON c.id = v.owner_id LEFT JOIN video_details d ON d.video_id = v.id
            WHERE""".replace("HEAT", PgSearchEngine.HEAT).replace("UTC_TODAY", PgSearchEngine.UTC_TODAY)
            + " " + PgSearchEngine.LISTED;

    private static final RowMapper<SearchDocument> DOC = (rs, ctx) -> new SearchDocument(rs.getString("id"),
            rs.getString("owner_id"), rs.getString("username"), rs.getString("title"), rs.getString("description"),
            PgVideoRepository.tags(rs), (Double) rs.getObject("duration_seconds"),
            PgVideoRepository.instant(rs, "published_at"), rs.getLong("views"),
            rs.getDouble("heat"), PgVideoRepository.instant(rs, "heat_at"), rs.getString("display_name"),
            rs.getString("captions"), rs.getString("chapters"), rs.getString("category"), rs.getString("language"));

    private final PostgresDatabase db;

    public PgSearchDocuments(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public Optional<SearchDocument> listed(String videoId) {
        return db.withHandle(h -> h.createQuery(SELECT + " AND v.id = :id").bind("id", videoId).map(DOC).findOne());
    }

    @Override
    public void forEachListed(Consumer<SearchDocument> sink) {
        // A transaction so that the driver streams with a cursor instead of loading every row.
        db.withHandle(h -> h.inTransaction(tx -> {
            try (var rows = tx.createQuery(SELECT + " ORDER BY v.id").setFetchSize(500).map(DOC).stream()) {
                rows.forEach(sink);
            }
            return null;
        }));
    }
}
