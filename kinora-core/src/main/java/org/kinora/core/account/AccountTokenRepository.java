package org.kinora.core.account;

import java.time.Instant;
import java.util.Optional;

/** Port: single-use tokens of emailed links, stored by their hash only. */
public interface AccountTokenRepository {
    enum Purpose { VERIFY_EMAIL, RESET_PASSWORD }

    void insert(String tokenHash, String userId, Purpose purpose, Instant createdAt, Instant expiresAt);

    /**
     * Marks the token used and returns its account, in one statement: only a token of this
     * purpose, unused and not expired at {@code now} is taken, so two uses race to one winner.
     */
    Optional<String> consume(String tokenHash, Purpose purpose, Instant now);

    /** Every unused token of the account for that purpose stops working (a newer one was sent, or the password changed). */
    void revoke(String userId, Purpose purpose, Instant now);

    /** Whether the account has a token of this purpose that still works. */
    boolean hasLive(String userId, Purpose purpose, Instant now);

    void markEmailVerified(String userId, Instant at);

    boolean isEmailVerified(String userId);

    Optional<User> findByEmail(String email);
}
