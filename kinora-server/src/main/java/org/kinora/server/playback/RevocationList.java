package org.kinora.server.playback;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import org.kinora.core.common.Clock;
import org.kinora.core.playback.PlaybackRevocations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The revocation list edges fetch, as a text body (one video id a line). Read from the store at
 * most every {@link #REFRESH}, however many edges and shields ask, and kept when the database
 * cannot be read: a list a few seconds old is better than none, and the edge fails open on a
 * missing list (it would otherwise stop all playback whenever the database is down).
 */
final class RevocationList {
    private static final Logger log = LoggerFactory.getLogger(RevocationList.class);
    /** Part of the takedown bound (docs/edge.md): store write, this, then one second per cache tier. */
    static final Duration REFRESH = Duration.ofMillis(500);
    /** Clocks of edges and the origin differ a little; a revocation is kept this much past the token lifetime. */
    private static final Duration CLOCK_SLACK = Duration.ofMinutes(5);

    private final PlaybackRevocations store;
    private final Duration window;
    private final Clock clock;
    private String body = null;
    private Instant readAt = Instant.EPOCH;

    /** @param tokenTtl the longest playback token lifetime: older revocations concern only expired tokens */
    RevocationList(PlaybackRevocations store, Duration tokenTtl, Clock clock) {
        this.store = store;
        this.window = tokenTtl.plus(CLOCK_SLACK);
        this.clock = clock;
    }

    /** The current list; empty when the store has never been readable since boot. */
    synchronized String body() {
        Instant now = clock.now();
        if (body == null || !now.isBefore(readAt.plus(REFRESH))) {
            try {
                Set<String> ids = new TreeSet<>(store.revokedSince(now.minus(window)));
                StringBuilder b = new StringBuilder();
                for (String id : ids) b.append(id).append('\n');
                body = b.toString();
                readAt = now;
            } catch (RuntimeException e) {
                // Keep serving the last list (the database may be down); try again on the next request.
                log.warn("playback revocations could not be read, serving the list from {}: {}", readAt, e.toString());
                readAt = now.minus(REFRESH).plusMillis(100);
                if (body == null) body = "";
            }
        }
        return body;
    }
}
