package org.kinora.adapters.postgres;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.kinora.core.common.Clock;
import org.kinora.core.playback.PlaybackRevocations;

/** Revocations in {@code playback_revocations}: one row per video, shared by every node. */
public final class PgPlaybackRevocations implements PlaybackRevocations {
    private final PostgresDatabase db;
    private final Clock clock;

    public PgPlaybackRevocations(PostgresDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public void revoke(String videoId, String reason) {
        // A repeated revocation moves the time forward: the row must outlive every token issued before it.
        db.withHandle(h -> h.createUpdate("""
                        INSERT INTO playback_revocations (video_id, reason, revoked_at) VALUES (:id, :reason, :at)
                        ON CONFLICT (video_id) DO UPDATE SET reason = excluded.reason, revoked_at = excluded.revoked_at""")
                .bind("id", videoId).bind("reason", reason).bind("at", clock.now()).execute());
    }

    @Override
    public void reinstate(String videoId) {
        db.withHandle(h -> h.createUpdate("DELETE FROM playback_revocations WHERE video_id = :id").bind("id", videoId).execute());
    }

    @Override
    public Set<String> revokedSince(Instant since) {
        return db.withHandle(h -> new HashSet<>(h.createQuery("SELECT video_id FROM playback_revocations WHERE revoked_at >= :since")
                .bind("since", since).mapTo(String.class).list()));
    }
}
