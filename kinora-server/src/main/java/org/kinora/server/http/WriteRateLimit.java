package org.kinora.server.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.Set;
import org.kinora.core.common.RateLimiter;

/**
 * One budget for every mutating API call of a user (anonymous callers: of an address), on top
 * of the narrower limits (comments, play events). Answers 429 with Retry-After. Creating a tus
 * upload counts; its chunks, play events and sign-in (throttled on its own) are not counted here.
 */
public final class WriteRateLimit implements Routes {
    private static final Set<HandlerType> MUTATING = Set.of(HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE);

    private final RateLimiter limiter;
    private final Authenticator auth;

    public WriteRateLimit(RateLimiter limiter, Authenticator auth) {
        this.limiter = limiter;
        this.auth = auth;
    }

    @Override
    public void register(Javalin app) {
        app.before("/api/v1/*", this::check);
    }

    private void check(Context ctx) {
        if (!MUTATING.contains(ctx.method())) return;
        String path = ctx.path();
        // Creating an upload counts (it reserves quota and a video row); its chunks and its end do not.
        boolean uploadChunkOrEnd = path.startsWith("/api/v1/uploads") && !(path.equals("/api/v1/uploads") && ctx.method() == HandlerType.POST);
        if (uploadChunkOrEnd || path.endsWith("/events") || path.startsWith("/api/v1/auth/")) return;
        limiter.acquire(auth.optionalUser(ctx).orElseGet(() -> "ip:" + ForwardedHeaders.clientIp(ctx)));
    }
}
