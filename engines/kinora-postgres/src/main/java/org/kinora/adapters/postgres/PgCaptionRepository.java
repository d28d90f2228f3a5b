package org.kinora.adapters.postgres;

import java.util.List;
import org.jdbi.v3.core.mapper.RowMapper;
import org.kinora.core.caption.CaptionRepository;
import org.kinora.core.caption.CaptionTrack;

/** Caption tracks in {@code video_captions}; a trigger there re-indexes the video's search vector. */
public final class PgCaptionRepository implements CaptionRepository {
    private static final RowMapper<CaptionTrack> TRACK = (rs, ctx) -> new CaptionTrack(rs.getString("video_id"),
            rs.getString("language"), rs.getString("label"), rs.getInt("cue_count"), PgVideoRepository.instant(rs, "updated_at"));

    private final PostgresDatabase db;

    public PgCaptionRepository(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public void upsert(CaptionTrack t, String searchText) {
        db.useHandle(h -> h.createUpdate("""
                        INSERT INTO video_captions (video_id, language, label, cue_count, search_text, updated_at)
                        VALUES (:v, :l, :label, :n, :text, :at)
                        ON CONFLICT (video_id, language) DO UPDATE SET label = excluded.label, cue_count = excluded.cue_count,
                            search_text = excluded.search_text, updated_at = excluded.updated_at""")
                .bind("v", t.videoId()).bind("l", t.language()).bind("label", t.label()).bind("n", t.cueCount())
                .bind("text", searchText).bind("at", t.updatedAt()).execute());
    }

    @Override
    public boolean delete(String videoId, String language) {
        return db.withHandle(h -> h.createUpdate("DELETE FROM video_captions WHERE video_id = :v AND language = :l")
                .bind("v", videoId).bind("l", language).execute()) > 0;
    }

    @Override
    public List<CaptionTrack> listLockingManifests(String videoId) {
        // A transaction-scoped advisory lock: outside a transaction it would end with the statement.
        db.useHandle(h -> h.createQuery("SELECT pg_advisory_xact_lock(hashtext('manifests:' || :v))")
                .bind("v", videoId).mapTo(String.class).one());
        return list(videoId);
    }

    @Override
    public List<CaptionTrack> list(String videoId) {
        return db.withHandle(h -> h.createQuery("""
                        SELECT video_id, language, label, cue_count, updated_at FROM video_captions
                        WHERE video_id = :v ORDER BY language""")
                .bind("v", videoId).map(TRACK).list());
    }
}
