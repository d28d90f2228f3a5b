package org.kinora.adapters.postgres;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kinora.core.geo.CountryRules;
import org.kinora.core.geo.VideoCountryRules;

/** Country rules in {@code video_country_rules}, one row per restricted video. */
public final class PgVideoCountryRules implements VideoCountryRules {
    private final PostgresDatabase db;

    public PgVideoCountryRules(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public CountryRules find(String videoId) {
        return db.withHandle(h -> h.createQuery("SELECT allowed, blocked FROM video_country_rules WHERE video_id = :id")
                .bind("id", videoId)
                .map((rs, ctx) -> new CountryRules(set(rs.getArray(1)), set(rs.getArray(2))))
                .findOne().orElse(CountryRules.NONE));
    }

    @Override
    public void save(String videoId, CountryRules rules) {
        db.withHandle(h -> rules.isEmpty()
                ? h.createUpdate("DELETE FROM video_country_rules WHERE video_id = :id").bind("id", videoId).execute()
                : h.createUpdate("""
                        INSERT INTO video_country_rules (video_id, allowed, blocked) VALUES (:id, :allowed, :blocked)
                        ON CONFLICT (video_id) DO UPDATE SET allowed = excluded.allowed, blocked = excluded.blocked""")
                .bind("id", videoId)
                .bindArray("allowed", String.class, List.copyOf(rules.allowed()))
                .bindArray("blocked", String.class, List.copyOf(rules.blocked()))
                .execute());
    }

    @Override
    public Map<String, CountryRules> all() {
        Map<String, CountryRules> out = new LinkedHashMap<>();
        db.withHandle(h -> h.createQuery("SELECT video_id, allowed, blocked FROM video_country_rules ORDER BY video_id")
                .map((rs, ctx) -> out.put(rs.getString(1), new CountryRules(set(rs.getArray(2)), set(rs.getArray(3)))))
                .list());
        return out;
    }

    private static Set<String> set(java.sql.Array a) throws java.sql.SQLException {
        return a == null ? Set.of() : Set.copyOf(Arrays.asList((String[]) a.getArray()));
    }
}
