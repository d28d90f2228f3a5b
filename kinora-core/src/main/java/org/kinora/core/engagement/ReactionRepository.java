package org.kinora.core.engagement;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/** Port: likes and dislikes, with the video's counters kept in step in the same statement/transaction. */
public interface ReactionRepository {
    /**
     * Makes the user's rating {@code rating} and adjusts the counters by exactly the change made,
     * so concurrent identical requests count once. Returns the rating that was there before.
     */
    Rating set(String videoId, String userId, Rating rating, Instant at);

    Rating get(String videoId, String userId);

    Map<String, Rating> get(Collection<String> videoIds, String userId);
}
