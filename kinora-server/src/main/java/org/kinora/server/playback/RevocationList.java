package org.kinora.server.playback;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.kinora.core.common.Clock;
import org.kinora.core.playback.PlaybackRevocations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The revocation list edges fetch, as a text body (one video id a line). A scheduled task reads
 * it from the store every {@link #REFRESH}; requests only read memory, so however many tiers ask
 * the database sees one query per node per period, and requests never wait on it. When the
 * database cannot be read the last list stays: a list a few seconds old is better than none
 * (the edge fails open on a missing list rather than stop all playback while the database is down).
 */
final class RevocationList {
    private static final Logger log = LoggerFactory.getLogger(RevocationList.class);
    /** Part of the takedown bound (docs/edge.md): outbox poll, this, then one second per cache tier. */
    static final Duration REFRESH = Duration.ofMillis(250);
    /** Clocks of edges and the origin differ a little; a revocation is kept this much past the token lifetime. */
    private static final Duration CLOCK_SLACK = Duration.ofMinutes(5);

    private final PlaybackRevocations store;
    private final Duration window;
    private final Clock clock;
    private volatile String body;
    private volatile boolean failing;

    /** @param tokenTtl the longest playback token lifetime: older revocations concern only expired tokens */
    RevocationList(PlaybackRevocations store, Duration tokenTtl, Clock clock) {
        this.store = store;
        this.window = tokenTtl.plus(CLOCK_SLACK);
        this.clock = clock;
    }

    /** Reads the list from the store; on failure keeps the last one. Run by the scheduled task. */
    void refresh() {
        try {
            Set<String> ids = new TreeSet<>(store.revokedSince(clock.now().minus(window)));
            StringBuilder b = new StringBuilder();
            for (String id : ids) b.append(id).append('\n');
            body = b.toString();
            if (failing) log.info("playback revocations are read again");
            failing = false;
        } catch (RuntimeException e) {
            if (!failing) log.warn("playback revocations could not be read, edges get the last list: {}", e.toString());
            failing = true;
        }
    }

    /** The current list; read once here if the task has not run yet (just after boot). */
    String body() {
        if (body == null) refresh();
        String b = body;
        return b == null ? "" : b;
    }
}
