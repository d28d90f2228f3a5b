package org.kinora.server.http;

import io.javalin.http.Context;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The cap on open event streams, for every route with the role {@link ApiRole#EVENT_STREAM}
 * (what {@link Api#sse} declares). What a stream must settle before it starts — once it does, the
 * status line (200) and headers are sent and a refusal could only be an empty stream — is settled
 * earlier: a {@link ApiRole#SIGNED_IN} stream answers 401 here for an anonymous caller, and a
 * stream's own checks (the video's visibility, the live's existence) are path filters of its routes
 * class, which Javalin runs before this matched-route filter.
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
    private final Authenticator auth;
    private final int maxPerUser;
    /** Open streams per user, oldest first. Guarded by itself. */
    private final Map<String, Deque<Slot>> open = new HashMap<>();

    public StreamGate(Authenticator auth, int maxPerUser) {
        this.auth = auth;
        this.maxPerUser = maxPerUser;
    }

    @Override
    public void register(Api app) {
        app.beforeMatched(ctx -> {
            if (!ctx.routeRoles().contains(ApiRole.EVENT_STREAM)) return;
            take(ctx, ctx.routeRoles().contains(ApiRole.SIGNED_IN) ? auth.requireUser(ctx) : auth.optionalUser(ctx).orElse(null));
        });
        app.afterMatched(StreamGate::releaseIfRefused); // no slot taken: nothing to give back
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
