package org.kinora.server.mail;

import org.kinora.adapters.postgres.PgAccountTokenRepository;
import org.kinora.core.account.EmailAccountFlows;
import org.kinora.core.common.RateLimiter;
import org.kinora.server.auth.Argon2PasswordHasher;
import org.kinora.server.config.KinoraConfig;
import org.kinora.server.feature.Contributions;
import org.kinora.server.feature.Feature;
import org.kinora.server.feature.Platform;
import org.kinora.server.feature.SharedServices;

/**
 * Email verification at sign-up and password reset by email, when {@code smtp.host} is set.
 * Without it this feature adds nothing: accounts need no verification.
 */
public record EmailFeature(Platform p, SharedServices shared) implements Feature {
    @Override
    public void contribute(Contributions c) {
        KinoraConfig.Trust t = p.config().trust();
        if (t.smtpHost().isEmpty()) return;
        var db = p.engines().database();
        var tokens = new PgAccountTokenRepository(db);
        String site = p.config().publicUrl().orElse("http://localhost:" + p.config().port());
        var flows = new EmailAccountFlows(tokens, shared.users, new Argon2PasswordHasher(), new SmtpMailer(t), db, p.clock(), site,
                t.verifyTokenTtl(), t.resetTokenTtl(), shared.sessions::revokeAll);
        shared.accountGate.onSignUp(flows::sendVerification);
        if (t.requireVerifiedEmail()) shared.accountGate.requireVerifiedEmail(flows::verifiedOrSendLink);
        int perHour = p.config().security().signUpsPerHourPerAddress();
        c.routes(new EmailRoutes(flows, shared.auth, RateLimiter.perHour("emails", Math.max(perHour, 1), Math.max(perHour, 1), p.clock())));
    }
}
