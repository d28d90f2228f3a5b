package org.kinora.adapters.postgres;

import java.util.Locale;
import java.util.Optional;
import org.kinora.core.account.AccountSettings;
import org.kinora.core.account.AccountSettingsRepository;
import org.kinora.core.account.Role;

public final class PgAccountSettingsRepository implements AccountSettingsRepository {
    private final PostgresDatabase db;

    public PgAccountSettingsRepository(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public Optional<AccountSettings> find(String userId) {
        return db.withHandle(h -> h.createQuery("SELECT id, role, upload_quota_bytes, history_paused FROM users WHERE id = :id")
                .bind("id", userId)
                .map((rs, ctx) -> new AccountSettings(rs.getString("id"), Role.valueOf(rs.getString("role").toUpperCase(Locale.ROOT)),
                        (Long) rs.getObject("upload_quota_bytes"), rs.getBoolean("history_paused")))
                .findOne());
    }

    @Override
    public void setRole(String userId, Role role) {
        db.useHandle(h -> h.createUpdate("UPDATE users SET role = :role WHERE id = :id")
                .bind("id", userId).bind("role", role.wireName()).execute());
    }

    @Override
    public void setUploadQuota(String userId, Long bytes) {
        db.useHandle(h -> h.createUpdate("UPDATE users SET upload_quota_bytes = :q WHERE id = :id")
                .bind("id", userId).bind("q", bytes).execute());
    }

    @Override
    public void setHistoryPaused(String userId, boolean paused) {
        db.useHandle(h -> h.createUpdate("UPDATE users SET history_paused = :p WHERE id = :id")
                .bind("id", userId).bind("p", paused).execute());
    }

    @Override
    public long uploadedBytes(String userId) {
        return db.withHandle(h -> h.createQuery("""
                        SELECT coalesce(sum(u.length), 0) FROM uploads u LEFT JOIN videos v ON v.id = u.video_id
                        WHERE u.owner_id = :id AND (v.deleted_at IS NULL OR u.video_id IS NULL) AND u.consumed_by IS NULL""")
                .bind("id", userId).mapTo(Long.class).one());
    }

    @Override
    public void lockForUpload(String userId) {
        db.useHandle(h -> h.createQuery("SELECT pg_advisory_xact_lock(hashtext('upload-quota:' || :id))")
                .bind("id", userId).mapTo(String.class).one());
    }
}
