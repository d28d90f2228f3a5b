package org.kinora.server.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.kinora.adapters.postgres.PgEventLog;
import org.kinora.core.common.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the outbox from growing forever: deletes the events older than {@code events.retention-days}
 * that every consumer has passed, in batches so that no single statement holds many row locks, and
 * names the consumers that hold old events back. Several nodes may run it at once: deleting an
 * already deleted row is a no-op.
 */
public final class OutboxRetention implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(OutboxRetention.class);
    static final int BATCH = 10_000;

    private final PgEventLog events;
    private final Duration retention;
    private final Clock clock;

    public OutboxRetention(PgEventLog events, Duration retention, Clock clock) {
        if (retention.isZero() || retention.isNegative()) throw new IllegalArgumentException("retention must be positive: " + retention);
        this.events = events;
        this.retention = retention;
        this.clock = clock;
    }

    /** Deletes what it may and returns how many events went. */
    public long prune() {
        Instant cutoff = clock.now().minus(retention);
        long deleted = 0;
        int n;
        do {
            n = events.prune(cutoff, BATCH);
            deleted += n;
        } while (n == BATCH);
        Map<String, Instant> behind = events.consumersHoldingBack(cutoff);
        if (!behind.isEmpty()) {
            log.warn("outbox events older than {} days are kept for consumers that have not read them: {} (last moved at). "
                    + "If one of them no longer runs, delete it: DELETE FROM event_consumers WHERE name = '...'",
                    retention.toDays(), behind);
        }
        if (deleted > 0) log.info("deleted {} outbox events older than {} days", deleted, retention.toDays());
        return deleted;
    }

    @Override
    public void run() {
        try {
            prune();
        } catch (RuntimeException e) {
            log.warn("pruning the outbox failed (tried again in 10 minutes): {}", e.toString());
        }
    }
}
