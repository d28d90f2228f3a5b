package org.kinora.adapters.postgres;

import java.time.LocalDate;
import java.util.Optional;
import org.kinora.core.playback.BirthDates;

/** Dates of birth in {@code account_birth_dates} (V92), one row per viewer who gave one. */
public final class PgBirthDates implements BirthDates {
    private final PostgresDatabase db;

    public PgBirthDates(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public Optional<LocalDate> find(String userId) {
        return db.withHandle(h -> h.createQuery("SELECT birth_date FROM account_birth_dates WHERE user_id = :id")
                .bind("id", userId).map((rs, ctx) -> rs.getObject(1, LocalDate.class)).findOne());
    }

    @Override
    public void save(String userId, Optional<LocalDate> birthDate) {
        db.withHandle(h -> birthDate.isEmpty()
                ? h.createUpdate("DELETE FROM account_birth_dates WHERE user_id = :id").bind("id", userId).execute()
                : h.createUpdate("""
                        INSERT INTO account_birth_dates (user_id, birth_date) VALUES (:id, :d)
                        ON CONFLICT (user_id) DO UPDATE SET birth_date = excluded.birth_date""")
                .bind("id", userId).bind("d", birthDate.get()).execute());
    }
}
