package org.kinora.core.search;

import java.util.List;

/**
 * Seam for the home feed: the newest publicly listed videos from the channels a user subscribes
 * to. Subscriptions are not built yet; until they are, {@link #NONE} answers with nothing and the
 * home feed is trending plus fresh uploads.
 */
@FunctionalInterface
public interface SubscriptionFeed {
    SubscriptionFeed NONE = (userId, limit) -> List.of();

    /** Video ids, newest first. */
    List<String> latest(String userId, int limit);
}
