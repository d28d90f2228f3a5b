package org.kinora.server.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.kinora.core.video.VideoService;

/**
 * What must be settled before an SSE stream starts: once it does, the status line (200) and
 * headers are already sent, and a refusal could only be an empty stream. So the status stream
 * of a private or missing video answers 404 and the anonymous notification stream 401 here.
 *
 * <p>Each user (each address, when anonymous) holds at most {@code maxPerUser} open streams,
 * since every one keeps a connection and a subscription for hours. A stream past the limit ends
 * the user's oldest one rather than being refused: a page the browser left closes its stream
 * without the server noticing until its next write (a ping, up to 20 s later), so refusing would
 * lock out someone who clicks through a few pages quickly, while ending the oldest keeps both the
 * bound and the newest page live.
 *
 * <p>Stream handlers say how to end them ({@link #onEvict}) and give their slot back in their
 * {@code finally} ({@link #release}); a request refused after the slot was taken gives it back in
 * the after-filter.
 */
public final class StreamGate implements Routes {
    private static final String SLOT = "kinora.stream-slot";
    private final VideoService videos;
    private final Authenticator auth;
    private final int maxPerUser;
    /** Open streams per user, oldest first. Guarded by itself. */
    private final Map<String, Deque<Slot>> open = new HashMap<>();

    public StreamGate(VideoService videos, Authenticator auth, int maxPerUser) {
        this.videos = videos;
        this.auth = auth;
        this.maxPerUser = maxPerUser;
    }

    @Override
    public void register(Api app) {
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
        app.before("/api/v1/lives/{id}/chat/stream", ctx -> take(ctx, auth.optionalUser(ctx).orElse(null))); // the live's existence: LiveChatRoutes
        app.after("/api/v1/lives/{id}/chat/stream", StreamGate::releaseIfRefused);
        app.after("/api/v1/videos/{id}/events", StreamGate::releaseIfRefused);
        app.after("/api/v1/notifications/stream", StreamGate::releaseIfRefused);
    }

    private final class Slot {
        final String key;
        boolean released; // guarded by open
        boolean evicted;  // guarded by this
        Runnable closer;  // guarded by this

        Slot(String key) {
            this.key = key;
        }

        void release() {
            synchronized (open) {
                if (released) return;
                released = true;
                Deque<Slot> slots = open.get(key);
                if (slots != null && slots.remove(this) && slots.isEmpty()) open.remove(key);
            }
        }

        void evict() {
            release();
            Runnable c;
            synchronized (this) {
                evicted = true;
                c = closer;
            }
            if (c != null) c.run();
        }

        void onEvict(Runnable c) {
            boolean now;
            synchronized (this) {
                closer = c;
                now = evicted;
            }
            if (now) c.run();
        }
    }

    private void take(Context ctx, String userId) {
        Slot slot = new Slot(userId != null ? userId : "ip:" + ForwardedHeaders.clientIp(ctx));
        Slot oldest = null;
        synchronized (open) {
            Deque<Slot> slots = open.computeIfAbsent(slot.key, k -> new ArrayDeque<>());
            slots.addLast(slot);
            if (slots.size() > maxPerUser) oldest = slots.peekFirst();
        }
        if (oldest != null) oldest.evict();
        ctx.attribute(SLOT, slot);
    }

    /** How to end this request's stream when a newer stream of the same user needs its place. */
    public static void onEvict(Context ctx, Runnable close) {
        Slot slot = ctx.attribute(SLOT);
        if (slot != null) slot.onEvict(close);
    }

    /** Gives the request's stream slot back (once, however often called). */
    public static void release(Context ctx) {
        Slot slot = ctx.attribute(SLOT);
        if (slot != null) slot.release();
    }

    private static void releaseIfRefused(Context ctx) {
        if (ctx.statusCode() >= 400) release(ctx);
    }
}
