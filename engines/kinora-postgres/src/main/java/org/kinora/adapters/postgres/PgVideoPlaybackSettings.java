package org.kinora.adapters.postgres;

import java.util.HashMap;
import java.util.Map;
import org.kinora.core.playback.PlaybackSettings;

/** The creator's playback settings in {@code video_playback_settings} (V93), and moderation's age restriction beside them. */
public final class PgVideoPlaybackSettings implements PlaybackSettings.Store {
    private final PostgresDatabase db;

    public PgVideoPlaybackSettings(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public PlaybackSettings creatorSettings(String videoId) {
        return db.withHandle(h -> h.createQuery("SELECT age_restricted, protected FROM video_playback_settings WHERE video_id = :id")
                .bind("id", videoId).map((rs, ctx) -> new PlaybackSettings(rs.getBoolean(1), rs.getBoolean(2)))
                .findOne().orElse(PlaybackSettings.NONE));
    }

    @Override
    public void save(String videoId, PlaybackSettings s) {
        db.withHandle(h -> s.isDefault()
                ? h.createUpdate("DELETE FROM video_playback_settings WHERE video_id = :id").bind("id", videoId).execute()
                : h.createUpdate("""
                        INSERT INTO video_playback_settings (video_id, age_restricted, protected) VALUES (:id, :age, :prot)
                        ON CONFLICT (video_id) DO UPDATE SET age_restricted = excluded.age_restricted, protected = excluded.protected""")
                .bind("id", videoId).bind("age", s.ageRestricted()).bind("prot", s.protectedContent()).execute());
    }

    @Override
    public Map<String, PlaybackSettings> allEffective() {
        Map<String, PlaybackSettings> out = new HashMap<>();
        db.withHandle(h -> h.createQuery("""
                        SELECT coalesce(s.video_id, m.video_id),
                               coalesce(s.age_restricted, false) OR coalesce(m.age_restricted, false),
                               coalesce(s.protected, false)
                          FROM video_playback_settings s
                          FULL JOIN (SELECT video_id, age_restricted FROM video_moderation WHERE age_restricted) m ON m.video_id = s.video_id""")
                .map((rs, ctx) -> out.put(rs.getString(1), new PlaybackSettings(rs.getBoolean(2), rs.getBoolean(3))))
                .list());
        return out;
    }
}
