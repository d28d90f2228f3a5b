package org.kinora.adapters.postgres;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.kinora.core.admin.AdminDirectory;

public final class PgAdminDirectory implements AdminDirectory {
    private final PostgresDatabase db;

    public PgAdminDirectory(PostgresDatabase db) {
        this.db = db;
    }

    private static Instant instant(java.sql.Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    @Override
    public List<AccountRow> accounts(Optional<String> query, Optional<Instant> beforeCreated, Optional<String> beforeId, int limit) {
        return db.withHandle(h -> h.createQuery("""
                        SELECT u.id, u.username, u.email, u.role, u.upload_quota_bytes, u.created_at, u.suspended_at,
                               u.suspension_reason, u.awaiting_approval,
                               (SELECT coalesce(sum(up.length), 0) FROM uploads up JOIN videos v ON v.id = up.video_id
                                 WHERE up.owner_id = u.id AND v.deleted_at IS NULL) AS used,
                               (SELECT count(*) FROM videos v WHERE v.owner_id = u.id AND v.deleted_at IS NULL) AS videos
                        FROM users u
                        WHERE (CAST(:q AS text) IS NULL
                               OR lower(u.username) LIKE :prefix ESCAPE '!' OR lower(u.email) LIKE :prefix ESCAPE '!')
                          AND (CAST(:beforeCreated AS timestamptz) IS NULL OR (u.created_at, u.id) < (:beforeCreated, :beforeId))
                        ORDER BY u.created_at DESC, u.id DESC LIMIT :limit""")
                .bind("q", query.orElse(null)).bind("prefix", query.map(PgAdminDirectory::prefix).orElse(null))
                .bind("beforeCreated", beforeCreated.orElse(null)).bind("beforeId", beforeId.orElse(""))
                .bind("limit", limit)
                .map((rs, ctx) -> new AccountRow(rs.getString("id"), rs.getString("username"), rs.getString("email"),
                        rs.getString("role"), (Long) rs.getObject("upload_quota_bytes"), rs.getLong("used"), rs.getLong("videos"),
                        instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("suspended_at")),
                        rs.getString("suspension_reason"), rs.getBoolean("awaiting_approval")))
                .list());
    }

    /** A LIKE pattern for "starts with", its wildcards escaped. */
    private static String prefix(String q) {
        return q.toLowerCase(java.util.Locale.ROOT).replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
    }

    @Override
    public List<VideoRow> videos(Optional<String> status, Optional<Instant> beforeCreated, Optional<String> beforeId, int limit) {
        boolean deleted = status.map("deleted"::equals).orElse(false);
        return db.withHandle(h -> h.createQuery("""
                        SELECT v.id, v.owner_id, u.username, v.title, v.privacy, v.status, v.progress, v.failure_reason,
                               v.created_at, v.updated_at, v.deleted_at IS NOT NULL AS deleted
                        FROM videos v JOIN users u ON u.id = v.owner_id
                        WHERE (v.deleted_at IS NOT NULL) = :deleted
                          AND (CAST(:status AS text) IS NULL OR v.status = :status)
                          AND (CAST(:beforeCreated AS timestamptz) IS NULL OR (v.created_at, v.id) < (:beforeCreated, :beforeId))
                        ORDER BY v.created_at DESC, v.id DESC LIMIT :limit""")
                .bind("deleted", deleted).bind("status", deleted ? null : status.orElse(null))
                .bind("beforeCreated", beforeCreated.orElse(null)).bind("beforeId", beforeId.orElse(""))
                .bind("limit", limit)
                .map((rs, ctx) -> new VideoRow(rs.getString("id"), rs.getString("owner_id"), rs.getString("username"),
                        rs.getString("title"), rs.getString("privacy"), rs.getString("status"), rs.getInt("progress"),
                        rs.getString("failure_reason"), instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("updated_at")),
                        rs.getBoolean("deleted")))
                .list());
    }

    @Override
    public Standing standing(String userId) {
        return db.withHandle(h -> h.createQuery("SELECT suspended_at, suspension_reason, awaiting_approval FROM users WHERE id = :id")
                .bind("id", userId)
                .map((rs, ctx) -> new Standing(rs.getTimestamp("suspended_at") != null, rs.getString("suspension_reason"),
                        rs.getBoolean("awaiting_approval")))
                .findOne().orElse(Standing.GOOD));
    }

    @Override
    public void suspend(String userId, String reason, Instant at) {
        db.useHandle(h -> h.createUpdate("UPDATE users SET suspended_at = :at, suspension_reason = :reason WHERE id = :id")
                .bind("id", userId).bind("at", at).bind("reason", reason).execute());
    }

    @Override
    public void unsuspend(String userId) {
        db.useHandle(h -> h.createUpdate("UPDATE users SET suspended_at = NULL, suspension_reason = NULL WHERE id = :id")
                .bind("id", userId).execute());
    }

    @Override
    public void setAwaitingApproval(String userId, boolean waiting) {
        db.useHandle(h -> h.createUpdate("UPDATE users SET awaiting_approval = :w WHERE id = :id")
                .bind("id", userId).bind("w", waiting).execute());
    }
}
