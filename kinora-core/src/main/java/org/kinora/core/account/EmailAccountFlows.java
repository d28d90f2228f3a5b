package org.kinora.core.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import org.kinora.core.account.AccountTokenRepository.Purpose;
import org.kinora.core.common.Clock;
import org.kinora.core.common.KinoraException;
import org.kinora.core.common.Transactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Email verification and password reset by emailed link. A link carries 256 random bits; only
 * their SHA-256 is stored, each works once and until it expires, and a newer link of the same
 * kind replaces the older ones. Asking for a reset answers the same whether or not the address
 * has an account, so the form does not tell who is registered. A reset ends every session and
 * token of the account in the transaction that sets the new password.
 */
public final class EmailAccountFlows {
    private static final Logger log = LoggerFactory.getLogger(EmailAccountFlows.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AccountTokenRepository tokens;
    private final UserRepository users;
    private final PasswordHasher hasher;
    private final Mailer mailer;
    private final Transactions tx;
    private final Clock clock;
    private final String siteUrl;
    private final Duration verifyTtl;
    private final Duration resetTtl;

    private final SessionRevoker sessions;

    public EmailAccountFlows(AccountTokenRepository tokens, UserRepository users, PasswordHasher hasher, Mailer mailer,
                             Transactions tx, Clock clock, String siteUrl, Duration verifyTtl, Duration resetTtl,
                             SessionRevoker sessions) {
        this.tokens = tokens;
        this.users = users;
        this.hasher = hasher;
        this.mailer = mailer;
        this.tx = tx;
        this.clock = clock;
        this.siteUrl = siteUrl.endsWith("/") ? siteUrl.substring(0, siteUrl.length() - 1) : siteUrl;
        this.verifyTtl = verifyTtl;
        this.resetTtl = resetTtl;
        this.sessions = sessions;
    }

    /** Sends the verification link; a mail server that is down is logged, and the person asks for another link later. */
    public void sendVerification(User user) {
        String token = issue(user.id(), Purpose.VERIFY_EMAIL, verifyTtl);
        try {
            mailer.send(user.email(), "Confirm your email address for Kinora", """
                    Hello %s,

                    Open this link to confirm that this is your email address:

                    %s/verify-email?token=%s

                    The link works once, for %s. If you did not create an account on Kinora, ignore this email.
                    """.formatted(user.username(), siteUrl, token, readable(verifyTtl)));
        } catch (RuntimeException e) {
            log.warn("could not send the verification email of account {}: {}", user.id(), e.toString());
        }
    }

    /**
     * Whether the account may sign in; when not, a new link goes out unless one still works. So
     * an account made before email was configured (or whose link expired) is never stuck.
     */
    public boolean verifiedOrSendLink(User user) {
        if (tokens.isEmailVerified(user.id())) return true;
        if (!tokens.hasLive(user.id(), Purpose.VERIFY_EMAIL, clock.now())) sendVerification(user);
        return false;
    }

    public void resendVerification(String userId) {
        User user = users.findById(userId).orElseThrow(() -> KinoraException.notFound("Account"));
        if (tokens.isEmailVerified(userId)) {
            throw KinoraException.conflict("already_verified", "Your email address is already verified.");
        }
        sendVerification(user);
    }

    public void verify(String token) {
        String userId = tokens.consume(hash(token), Purpose.VERIFY_EMAIL, clock.now()).orElseThrow(() -> invalid("verification"));
        tokens.markEmailVerified(userId, clock.now());
    }

    /** Always succeeds for the caller: whether the address has an account is not revealed. */
    public void requestReset(String email) {
        if (email == null || email.isBlank()) throw KinoraException.badRequest("invalid_email", "Give the email address of your account.");
        Optional<User> user = tokens.findByEmail(email.strip().toLowerCase(Locale.ROOT));
        if (user.isEmpty()) {
            log.info("password reset asked for an address without an account");
            return;
        }
        String token = issue(user.get().id(), Purpose.RESET_PASSWORD, resetTtl);
        try {
            mailer.send(user.get().email(), "Reset your Kinora password", """
                    Hello %s,

                    Someone (we hope you) asked to reset the password of your Kinora account. Open this link to choose a new one:

                    %s/reset-password?token=%s

                    The link works once, for %s. If you did not ask for this, ignore this email: your password stays as it is.
                    """.formatted(user.get().username(), siteUrl, token, readable(resetTtl)));
        } catch (RuntimeException e) {
            log.warn("could not send the password reset email of account {}: {}", user.get().id(), e.toString());
        }
    }

    /** Sets the new password from a reset link; ends every session and token of the account. */
    public void reset(String token, String newPassword) {
        AccountService.requireValidPassword(newPassword);
        String hash = hasher.hash(newPassword);
        tx.inTransaction(() -> {
            String userId = tokens.consume(hash(token), Purpose.RESET_PASSWORD, clock.now()).orElseThrow(() -> invalid("password reset"));
            users.updatePasswordHash(userId, hash);
            tokens.revoke(userId, Purpose.RESET_PASSWORD, clock.now());
            // Whoever could read the mailbox could also have verified it: the reset proves the address.
            tokens.markEmailVerified(userId, clock.now());
            sessions.revokeAll(userId);
            return null;
        });
    }

    public boolean isVerified(String userId) {
        return tokens.isEmailVerified(userId);
    }

    private String issue(String userId, Purpose purpose, Duration ttl) {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Instant now = clock.now();
        tx.inTransaction(() -> {
            tokens.revoke(userId, purpose, now);
            tokens.insert(hash(token), userId, purpose, now, now.plus(ttl));
            return null;
        });
        return token;
    }

    static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((token == null ? "" : token).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KinoraException invalid(String what) {
        return KinoraException.badRequest("invalid_token", "This " + what + " link is not valid: it was already used, it expired, "
                + "or a newer one was sent. Ask for a new link.");
    }

    private static String readable(Duration d) {
        return d.toHours() >= 1 ? d.toHours() + " hour(s)" : d.toMinutes() + " minute(s)";
    }
}
