package org.kinora.core.moderation;

import java.time.Instant;
import java.util.Map;

/** What the moderation queue holds. */
public final class QueueEntry {
    private QueueEntry() {}

    /**
     * One reported item with every open report on it: how many, first and latest, the reasons with
     * their counts, and the earliest reported moment in a video (null otherwise).
     */
    public record Reported(ItemKind kind, String itemId, int count, Instant firstAt, Instant lastAt, Map<String, Integer> reasons,
                           Double atSeconds) {}

    /**
     * Where a page of the queue ended (keyset pagination): the last item's report count (the
     * most-reported order's first key), its latest report and its identity (the tie-breakers).
     */
    public record After(int count, Instant lastAt, ItemKind kind, String itemId) {}
}
