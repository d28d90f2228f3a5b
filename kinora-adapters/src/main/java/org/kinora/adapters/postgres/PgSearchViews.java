package org.kinora.adapters.postgres;

import java.time.Instant;

/**
 * View tallies as search sees them, fed by video.viewed events: one row per event id (a replayed
 * event changes nothing) and a running total per video, in one transaction.
 */
public final class PgSearchViews {
    private final PostgresDatabase db;

    public PgSearchViews(PostgresDatabase db) {
        this.db = db;
    }

    /** Records one view; returns false when this event was already counted. */
    public boolean record(String eventId, String videoId, Instant at) {
        return db.withHandle(h -> h.inTransaction(tx -> {
            int inserted = tx.createUpdate("""
                            INSERT INTO search_views (event_id, video_id, viewed_at) VALUES (:e, :v, :at) ON CONFLICT DO NOTHING""")
                    .bind("e", eventId).bind("v", videoId).bind("at", at).execute();
            if (inserted == 0) return false;
            tx.createUpdate("""
                            INSERT INTO search_video_stats (video_id, views) VALUES (:v, 1)
                            ON CONFLICT (video_id) DO UPDATE SET views = search_video_stats.views + 1""")
                    .bind("v", videoId).execute();
            return true;
        }));
    }

    /** Drops per-view rows older than trending's window (the totals stay). */
    public int pruneOlderThan(Instant cutoff) {
        return db.withHandle(h -> h.createUpdate("DELETE FROM search_views WHERE viewed_at < :c").bind("c", cutoff).execute());
    }
}
