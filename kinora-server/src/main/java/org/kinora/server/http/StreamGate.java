package org.kinora.server.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.kinora.core.common.ErrorKind;
import org.kinora.core.common.KinoraException;
import org.kinora.core.video.VideoService;

/**
 * What must be settled before an SSE stream starts: once it does, the status line (200) and
 * headers are already sent, and a refusal could only be an empty stream. So the status stream
 * of a private or missing video answers 404 and the anonymous notification stream 401 here,
 * and each user (each address, when anonymous) holds at most {@code maxPerUser} open streams,
 * since every one keeps a thread and a subscription for hours.
 *
 * <p>The stream handlers give their slot back in their {@code finally} ({@link #release}); a
 * request refused after the slot was taken gives it back in the after-filter.
 */
public final class StreamGate implements Routes {
    private static final String SLOT = "kinora.stream-slot";
    private final VideoService videos;
    private final Authenticator auth;
    private final int maxPerUser;
    private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();

    public StreamGate(VideoService videos, Authenticator auth, int maxPerUser) {
        this.videos = videos;
        this.auth = auth;
        this.maxPerUser = maxPerUser;
    }

    @Override
    public void register(Javalin app) {
        // The status stream shares its path with POST play events, which are not streams.
        app.before("/api/v1/videos/{id}/events", ctx -> {
            if (ctx.method() != HandlerType.GET) return;
            String viewer = auth.optionalUser(ctx).orElse(null);
            videos.visibleVideo(ctx.pathParam("id"), viewer);
            take(ctx, viewer);
        });
        app.before("/api/v1/notifications/stream", ctx -> {
            if (ctx.method() == HandlerType.GET) take(ctx, auth.requireUser(ctx));
        });
        app.after("/api/v1/videos/{id}/events", StreamGate::releaseIfRefused);
        app.after("/api/v1/notifications/stream", StreamGate::releaseIfRefused);
    }

    private void take(Context ctx, String userId) {
        String key = userId != null ? userId : "ip:" + ForwardedHeaders.clientIp(ctx);
        AtomicInteger count = open.computeIfAbsent(key, k -> new AtomicInteger());
        if (count.incrementAndGet() > maxPerUser) {
            count.decrementAndGet();
            throw new KinoraException(ErrorKind.RATE_LIMITED, "too_many_streams",
                    "You already have " + maxPerUser + " live streams open; close a tab or an EventSource first.",
                    Map.of("retry_after_seconds", 10, "limit", "streams"));
        }
        AtomicBoolean released = new AtomicBoolean();
        ctx.attribute(SLOT, (Runnable) () -> {
            if (released.compareAndSet(false, true)) open.computeIfPresent(key, (k, c) -> c.decrementAndGet() <= 0 ? null : c);
        });
    }

    /** Gives the request's stream slot back (once, however often called). */
    public static void release(Context ctx) {
        Runnable slot = ctx.attribute(SLOT);
        if (slot != null) slot.run();
    }

    private static void releaseIfRefused(Context ctx) {
        if (ctx.statusCode() >= 400) release(ctx);
    }
}
