package org.kinora.adapters.postgres;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.kinora.core.account.AccountTokenRepository;
import org.kinora.core.account.User;

public final class PgAccountTokenRepository implements AccountTokenRepository {
    private final PostgresDatabase db;

    public PgAccountTokenRepository(PostgresDatabase db) {
        this.db = db;
    }

    private static String name(Purpose p) {
        return p.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public void insert(String tokenHash, String userId, Purpose purpose, Instant createdAt, Instant expiresAt) {
        db.useHandle(h -> h.createUpdate("""
                        INSERT INTO account_tokens (token_hash, user_id, purpose, created_at, expires_at)
                        VALUES (:hash, :user, :purpose, :created, :expires)""")
                .bind("hash", tokenHash).bind("user", userId).bind("purpose", name(purpose))
                .bind("created", createdAt).bind("expires", expiresAt).execute());
    }

    @Override
    public Optional<String> consume(String tokenHash, Purpose purpose, Instant now) {
        return db.withHandle(h -> h.createQuery("""
                        UPDATE account_tokens SET used_at = :now
                        WHERE token_hash = :hash AND purpose = :purpose AND used_at IS NULL AND expires_at > :now
                        RETURNING user_id""")
                .bind("hash", tokenHash).bind("purpose", name(purpose)).bind("now", now)
                .mapTo(String.class).findOne());
    }

    @Override
    public void revoke(String userId, Purpose purpose, Instant now) {
        db.useHandle(h -> h.createUpdate("""
                        UPDATE account_tokens SET used_at = :now WHERE user_id = :user AND purpose = :purpose AND used_at IS NULL""")
                .bind("user", userId).bind("purpose", name(purpose)).bind("now", now).execute());
    }

    @Override
    public boolean hasLive(String userId, Purpose purpose, Instant now) {
        return db.withHandle(h -> h.createQuery("""
                        SELECT EXISTS (SELECT 1 FROM account_tokens
                                       WHERE user_id = :user AND purpose = :purpose AND used_at IS NULL AND expires_at > :now)""")
                .bind("user", userId).bind("purpose", name(purpose)).bind("now", now).mapTo(Boolean.class).one());
    }

    @Override
    public void markEmailVerified(String userId, Instant at) {
        db.useHandle(h -> h.createUpdate("UPDATE users SET email_verified_at = coalesce(email_verified_at, :at) WHERE id = :id")
                .bind("id", userId).bind("at", at).execute());
    }

    @Override
    public boolean isEmailVerified(String userId) {
        return db.withHandle(h -> h.createQuery("SELECT email_verified_at IS NOT NULL FROM users WHERE id = :id")
                .bind("id", userId).mapTo(Boolean.class).findOne().orElse(false));
    }

    @Override
    public Optional<User> findByEmail(String email) {
        return db.withHandle(h -> h.createQuery("SELECT id, username, email, password_hash, created_at FROM users WHERE lower(email) = lower(:e)")
                .bind("e", email)
                .map((rs, ctx) -> new User(rs.getString("id"), rs.getString("username"), rs.getString("email"),
                        rs.getString("password_hash"), rs.getTimestamp("created_at").toInstant()))
                .findOne());
    }
}
