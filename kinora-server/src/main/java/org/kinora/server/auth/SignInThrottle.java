package org.kinora.server.auth;

import io.javalin.http.Context;
import java.util.Locale;
import org.kinora.core.common.Clock;
import org.kinora.core.common.RateLimiter;
import org.kinora.server.config.KinoraConfig;
import org.kinora.server.http.ForwardedHeaders;

/**
 * Slows password guessing and account probing: sign-in attempts per account name and per client
 * address (both 429 with Retry-After), and sign-ups per address per hour. Sign-up answers 409 for
 * a taken email (there is no email verification to hide it behind), so it is limited hard
 * instead: probing which emails are registered costs an address an hour per handful.
 *
 * <p>The per-account limit also slows the real owner while someone guesses at their account;
 * it refills within minutes, which is the usual trade against unlimited guessing.
 */
public final class SignInThrottle {
    private final RateLimiter perAccount;
    private final RateLimiter perAddress;
    private final RateLimiter signUps;

    public SignInThrottle(KinoraConfig.Security settings, Clock clock) {
        int account = settings.signInsPerMinutePerAccount();
        this.perAccount = new RateLimiter("sign-in (this account)", account, account * 2, clock);
        this.perAddress = new RateLimiter("sign-in", settings.signInsPerMinutePerAddress(), settings.signInsPerMinutePerAddress(), clock);
        this.signUps = RateLimiter.perHour("sign-up", settings.signUpsPerHourPerAddress(), settings.signUpsPerHourPerAddress(), clock);
    }

    /** Before checking a password for {@code account} (a username, or a user id for password changes). */
    void signIn(Context ctx, String account) {
        perAddress.acquire(ForwardedHeaders.clientIp(ctx));
        perAccount.acquire(account == null ? "" : account.toLowerCase(Locale.ROOT));
    }

    void signUp(Context ctx) {
        signUps.acquire(ForwardedHeaders.clientIp(ctx));
    }
}
