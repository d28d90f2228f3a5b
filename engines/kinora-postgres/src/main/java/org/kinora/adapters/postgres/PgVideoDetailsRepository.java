package org.kinora.adapters.postgres;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.kinora.core.details.VideoDetails;
import org.kinora.core.details.VideoDetailsRepository;

/** Studio details in {@code video_details}; saving chapters re-indexes the video's search vector (trigger). */
public final class PgVideoDetailsRepository implements VideoDetailsRepository {
    private static final RowMapper<VideoDetails> DETAILS = (rs, ctx) -> new VideoDetails(rs.getString("video_id"),
            rs.getString("category"), rs.getString("language"), rs.getString("licence"), rs.getString("chapters"),
            PgVideoRepository.instant(rs, "publish_at"));

    private final PostgresDatabase db;

    public PgVideoDetailsRepository(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public Optional<VideoDetails> find(String videoId) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM video_details WHERE video_id = :v").bind("v", videoId)
                .map(DETAILS).findOne());
    }

    @Override
    public void save(VideoDetails d) {
        db.useHandle(h -> h.createUpdate("""
                        INSERT INTO video_details (video_id, category, language, licence, chapters, publish_at)
                        VALUES (:v, :category, :language, :licence, :chapters, :at)
                        ON CONFLICT (video_id) DO UPDATE SET category = excluded.category, language = excluded.language,
                            licence = excluded.licence, chapters = excluded.chapters, publish_at = excluded.publish_at""")
                .bind("v", d.videoId()).bind("category", d.category()).bind("language", d.language())
                .bind("licence", d.licence()).bind("chapters", d.chapters()).bind("at", d.publishAt()).execute());
    }

    @Override
    public List<String> due(Instant now, int limit) {
        return db.withHandle(h -> h.createQuery("""
                        SELECT video_id FROM video_details WHERE publish_at IS NOT NULL AND publish_at <= :now
                        ORDER BY publish_at LIMIT :limit""")
                .bind("now", now).bind("limit", limit).mapTo(String.class).list());
    }

    @Override
    public boolean clearSchedule(String videoId, Instant expected) {
        return db.withHandle(h -> h.createUpdate("UPDATE video_details SET publish_at = NULL WHERE video_id = :v AND publish_at = :at")
                .bind("v", videoId).bind("at", expected).execute()) == 1;
    }
}
