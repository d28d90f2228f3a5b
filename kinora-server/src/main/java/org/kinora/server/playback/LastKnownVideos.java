package org.kinora.server.playback;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import org.kinora.adapters.postgres.PostgresDatabase;
import org.kinora.core.common.Clock;
import org.kinora.core.common.ErrorKind;
import org.kinora.core.common.KinoraException;
import org.kinora.core.video.Video;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets the origin keep serving videos anyone may play (public or unlisted) while the database is
 * unreachable, from what it last read about them, for at most {@code maxAge}. Private videos are
 * never served this way: only the database can say the viewer still owns one.
 *
 * <p>Once a lookup has failed for want of the database, requests no longer wait for it: they are
 * answered from memory, and one background probe a second finds out when it is back. Changes made
 * while it was down cannot have happened (every write needs it), so nothing is missed; a video
 * deleted just before the outage is the one risk, which the revocation list at the edge covers.
 *
 * <p>It also spares the database a query per segment: a public video read less than
 * {@link #FRESH} ago is answered from memory (a player fetches a segment every few seconds, a
 * popular video hundreds a second). A change to the video drops that at once on this node, and on
 * the others when they share the live bus (Redis); without, within {@link #FRESH_NANOS}. A lookup that
 * began before a change never makes a fresh entry (see {@link #forget}).
 *
 * <p>Under load the database is asked once per video, not once per waiting request: an entry
 * older than {@link #REFRESH_AHEAD_NANOS} is refreshed in the background while requests keep
 * being answered from it (still within {@link #FRESH_NANOS}), and requests that find no fresh
 * entry join the lookup already under way when it began after the video's last change and less
 * than {@link #FRESH_NANOS} ago. Before this, every request in flight when an entry expired asked
 * the database at once (256 at 256 connections), once a second: the origin's p99 of 1-2 s.
 */
final class LastKnownVideos {
    private static final Logger log = LoggerFactory.getLogger(LastKnownVideos.class);
    private static final int MAX_ENTRIES = 100_000;
    private static final Duration PROBE_EVERY = Duration.ofSeconds(1);
    static final long FRESH_NANOS = 1_000_000_000L;
    static final long REFRESH_AHEAD_NANOS = FRESH_NANOS / 2;
    /** How long a request waits for a lookup it joined before asking the database itself. */
    private static final long JOIN_WAIT_MILLIS = 6_000;

    /** {@code lookedUpAt}: System.nanoTime() when the database read began; 0 once the video changed since. */
    private record Known(Video video, Instant readAt, long lookedUpAt) {}

    /** A database lookup under way, begun at {@code startedAt} (nanoTime). */
    private record Flight(long startedAt, CompletableFuture<Video> result) {}

    private final Map<String, Known> known = new ConcurrentHashMap<>();
    /** When each video last changed (nanoTime), so that a read begun before a change is not taken as fresh. */
    private final Map<String, Long> changedAt = new ConcurrentHashMap<>();
    private final Map<String, Flight> flights = new ConcurrentHashMap<>();
    private final Duration maxAge;
    private final Clock clock;
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile boolean down;
    private volatile Instant lastProbe = Instant.EPOCH;

    LastKnownVideos(Duration maxAge, Clock clock) {
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /**
     * What {@link #visible} answers from memory without waiting for anything (a fresh entry of a
     * video anyone may watch, renewed in the background as there), or null when it would have to ask.
     */
    Video visibleWithoutWaiting(String videoId, BiFunction<String, String, Video> lookup) {
        Known hot = known.get(videoId);
        long now = System.nanoTime();
        if (hot == null || hot.lookedUpAt() == 0 || now - hot.lookedUpAt() >= FRESH_NANOS) return null;
        if (now - hot.lookedUpAt() >= REFRESH_AHEAD_NANOS && !down) refreshAhead(videoId, lookup);
        return hot.video();
    }

    /** {@code lookup} (the database) decides, or memory does when the database is unreachable. */
    Video visible(String videoId, String viewerId, BiFunction<String, String, Video> lookup) {
        Known hot = known.get(videoId);
        long started = System.nanoTime();
        if (hot != null && hot.lookedUpAt() != 0 && started - hot.lookedUpAt() < FRESH_NANOS) {
            if (started - hot.lookedUpAt() >= REFRESH_AHEAD_NANOS && !down) refreshAhead(videoId, lookup);
            return hot.video();
        }
        if (down) {
            Video remembered = fresh(videoId);
            if (remembered != null) {
                probe(videoId, lookup);
                return remembered;
            }
        }
        Video joined = join(videoId, started);
        if (joined != null) return joined;
        Flight flight = new Flight(started, new CompletableFuture<>());
        flights.put(videoId, flight);
        try {
            Video video = lookup.apply(videoId, viewerId);
            flight.result().complete(video);
            if (down) recovered();
            remember(videoId, video, started);
            return video;
        } catch (KinoraException refused) {
            flight.result().completeExceptionally(refused);
            known.remove(videoId); // deleted or no longer public
            throw refused;
        } catch (RuntimeException e) {
            flight.result().completeExceptionally(e);
            if (!PostgresDatabase.isUnreachable(e)) throw e;
            if (!down) log.warn("the database is unreachable; playing public videos from what was last read (up to {} old)", maxAge);
            down = true;
            Video remembered = fresh(videoId);
            if (remembered != null) return remembered;
            throw new KinoraException(ErrorKind.UNAVAILABLE, "database_unavailable",
                    "This video cannot be checked while the database is unreachable; try again in a few seconds.",
                    Map.of("retry_after_seconds", 5));
        } finally {
            flights.remove(videoId, flight);
        }
    }

    /**
     * The answer of a lookup under way that began after the video's last change and less than
     * {@link #FRESH_NANOS} before {@code now}, when it says anyone may watch (what a fresh entry
     * would have said); null otherwise (none, too old, failed, or private: then ask the database).
     */
    private Video join(String videoId, long now) {
        Flight f = flights.get(videoId);
        if (f == null || now - f.startedAt() >= FRESH_NANOS) return null;
        Long changed = changedAt.get(videoId);
        if (changed != null && changed - f.startedAt() >= 0) return null;
        try {
            Video video = f.result().get(JOIN_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            return video.isVisibleTo(null) ? video : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException e) {
            return null; // the request's own lookup reports what went wrong
        }
    }

    /** One background lookup per video at a time, so a hot entry is renewed before it expires. */
    private void refreshAhead(String videoId, BiFunction<String, String, Video> lookup) {
        long started = System.nanoTime();
        Flight flight = new Flight(started, new CompletableFuture<>());
        if (flights.putIfAbsent(videoId, flight) != null) return;
        Thread.ofVirtual().name("last-known-refresh").start(() -> {
            try {
                Video video = lookup.apply(videoId, null);
                flight.result().complete(video);
                remember(videoId, video, started);
            } catch (KinoraException refused) {
                flight.result().completeExceptionally(refused);
                known.remove(videoId); // gone or no longer public: the next request asks and gets the refusal
            } catch (RuntimeException e) {
                flight.result().completeExceptionally(e); // the next request past FRESH asks the database itself
            } finally {
                flights.remove(videoId, flight);
            }
        });
    }

    /** Keeps a video anyone may watch as read at {@code started}; fresh only when no change came after that. */
    private void remember(String videoId, Video video, long started) {
        if (!video.isVisibleTo(null)) {
            known.remove(videoId);
            return;
        }
        if (known.size() >= MAX_ENTRIES) known.clear(); // rare; the next reads refill it
        Long changed = changedAt.get(videoId);
        known.put(videoId, new Known(video, clock.now(), changed != null && changed - started >= 0 ? 0 : started));
        // A change announced between reading changedAt and the put above would otherwise be missed: forget()
        // records the change before zeroing entries, so reading it again after the put catches it.
        Long after = changedAt.get(videoId);
        if (after != null && after - started >= 0) known.computeIfPresent(videoId, (id, k) -> new Known(k.video(), k.readAt(), 0));
    }

    /** The video changed: the next request asks the database. Called from the live bus; never blocks. */
    void forget(String videoId) {
        if (changedAt.size() >= MAX_ENTRIES) {
            // Forgetting when others changed would let a stale read count as fresh: drop every fast path instead.
            known.replaceAll((id, k) -> new Known(k.video(), k.readAt(), 0));
            changedAt.clear();
        }
        changedAt.put(videoId, System.nanoTime());
        known.computeIfPresent(videoId, (id, k) -> new Known(k.video(), k.readAt(), 0));
    }

    private Video fresh(String videoId) {
        Known k = known.get(videoId);
        if (k == null || clock.now().isAfter(k.readAt().plus(maxAge))) return null;
        return k.video();
    }

    /** One lookup at a time, at most every second, off the request's thread. */
    private void probe(String videoId, BiFunction<String, String, Video> lookup) {
        Instant now = clock.now();
        if (now.isBefore(lastProbe.plus(PROBE_EVERY)) || !probing.compareAndSet(false, true)) return;
        lastProbe = now;
        Thread.ofVirtual().name("last-known-probe").start(() -> {
            try {
                lookup.apply(videoId, null);
                recovered();
            } catch (KinoraException answered) {
                recovered(); // the database answered (the video is gone); the next request asks it
            } catch (RuntimeException stillDown) {
                // stays down; the next probe is a second away
            } finally {
                probing.set(false);
            }
        });
    }

    private void recovered() {
        if (down) log.info("the database is reachable again; playback checks go to it");
        down = false;
    }
}
