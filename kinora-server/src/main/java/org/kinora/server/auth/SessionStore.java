package org.kinora.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalInt;
import org.kinora.adapters.postgres.PostgresDatabase;
import org.kinora.core.common.Clock;

/**
 * Server-side web sessions and the per-user token generation, both checked on every request, so
 * that sign-out and password changes take effect at once. A session cookie is 256 random bits;
 * the table keeps only their SHA-256. Expired rows of a user go when that user next signs in.
 */
public final class SessionStore {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final PostgresDatabase db;
    private final Duration ttl;
    private final Clock clock;

    public SessionStore(PostgresDatabase db, Duration ttl, Clock clock) {
        this.db = db;
        this.ttl = ttl;
        this.clock = clock;
    }

    public Duration ttl() { return ttl; }

    /** A new session for the user; the returned secret goes into the cookie and nowhere else. */
    public String create(String userId) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant now = clock.now();
        db.useHandle(h -> {
            h.createUpdate("DELETE FROM web_sessions WHERE user_id = :u AND expires_at <= :now")
                    .bind("u", userId).bind("now", now).execute();
            h.createUpdate("INSERT INTO web_sessions (token_hash, user_id, created_at, expires_at) VALUES (:h, :u, :now, :exp)")
                    .bind("h", hash(token)).bind("u", userId).bind("now", now).bind("exp", now.plus(ttl)).execute();
        });
        return token;
    }

    /** The user of a live session; empty for an unknown, revoked or expired one. */
    public Optional<String> userOf(String token) {
        if (token == null || token.length() > 200) return Optional.empty();
        return db.withHandle(h -> h.createQuery("SELECT user_id FROM web_sessions WHERE token_hash = :h AND expires_at > :now")
                .bind("h", hash(token)).bind("now", clock.now()).mapTo(String.class).findOne());
    }

    /** Ends one session (sign-out). */
    public void revoke(String token) {
        if (token == null || token.isBlank()) return;
        db.useHandle(h -> h.createUpdate("DELETE FROM web_sessions WHERE token_hash = :h").bind("h", hash(token)).execute());
    }

    /** Ends every session and bearer token of the user (password change), in one transaction. */
    public void revokeAll(String userId) {
        db.inTransaction(() -> db.withHandle(h -> {
            h.createUpdate("DELETE FROM web_sessions WHERE user_id = :u").bind("u", userId).execute();
            return h.createUpdate("UPDATE users SET token_generation = token_generation + 1 WHERE id = :u").bind("u", userId).execute();
        }));
    }

    /** The user's current token generation; empty when the account does not exist. */
    public OptionalInt generation(String userId) {
        return db.withHandle(h -> h.createQuery("SELECT token_generation FROM users WHERE id = :u").bind("u", userId)
                .mapTo(Integer.class).findOne()).map(OptionalInt::of).orElse(OptionalInt.empty());
    }

    private static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
