package org.kinora.adapters.postgres;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.kinora.core.admin.InstanceSettingsRepository;

public final class PgInstanceSettingsRepository implements InstanceSettingsRepository {
    private final PostgresDatabase db;

    public PgInstanceSettingsRepository(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public Map<String, String> load() {
        Map<String, String> values = new HashMap<>();
        db.useHandle(h -> h.createQuery("SELECT key, value FROM instance_settings")
                .map((rs, ctx) -> Map.entry(rs.getString("key"), rs.getString("value")))
                .forEach(e -> values.put(e.getKey(), e.getValue())));
        return values;
    }

    @Override
    public void save(Map<String, String> values, String updatedBy, Instant at) {
        db.inTransaction(() -> {
            db.useHandle(h -> {
                for (var e : values.entrySet()) {
                    h.createUpdate("""
                                    INSERT INTO instance_settings (key, value, updated_at, updated_by) VALUES (:k, :v, :at, :by)
                                    ON CONFLICT (key) DO UPDATE SET value = :v, updated_at = :at, updated_by = :by""")
                            .bind("k", e.getKey()).bind("v", e.getValue()).bind("at", at).bind("by", updatedBy).execute();
                }
            });
            return null;
        });
    }
}
