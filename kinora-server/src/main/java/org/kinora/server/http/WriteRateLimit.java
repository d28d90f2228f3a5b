package org.kinora.server.http;

import io.javalin.http.Context;
import org.kinora.core.common.RateLimiter;

/**
 * One budget for every mutating API call of a user (anonymous callers: of an address), on top
 * of the narrower limits (comments, play events). Answers 429 with Retry-After. Counts the
 * routes declared {@link ApiRole#WRITE_LIMITED}, creating a tus upload among them; tus upload
 * chunks, play events and sign-in (throttled on its own) are declared without it.
 */
public final class WriteRateLimit implements Routes {
    private final RateLimiter limiter;
    private final Authenticator auth;

    public WriteRateLimit(RateLimiter limiter, Authenticator auth) {
        this.limiter = limiter;
        this.auth = auth;
    }

    @Override
    public void register(Api app) {
        app.beforeMatched(this::check);
    }

    private void check(Context ctx) {
        if (!ctx.routeRoles().contains(ApiRole.WRITE_LIMITED)) return;
        limiter.acquire(auth.optionalUser(ctx).orElseGet(() -> "ip:" + ForwardedHeaders.clientIp(ctx)));
    }
}
