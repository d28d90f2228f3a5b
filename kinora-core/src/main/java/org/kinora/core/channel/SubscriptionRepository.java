package org.kinora.core.channel;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.kinora.core.video.Video;
import org.kinora.core.video.VideoRepository;

/** Port: who follows which channel, and the feed that follows from it. */
public interface SubscriptionRepository {
    /** Adds the pair and bumps the channel's subscriber count; false (and nothing changed) when it existed. */
    boolean subscribe(String subscriberId, String channelId, Instant at);

    /** Removes the pair and lowers the count; false when there was nothing to remove. */
    boolean unsubscribe(String subscriberId, String channelId);

    boolean isSubscribed(String subscriberId, String channelId);

    /** Channels the user follows, most recently followed first, after the (subscribedAt, channelId) cursor. */
    List<Subscription> subscriptions(String subscriberId, Optional<Subscription.Cursor> after, int limit);

    /** Newest public videos of the followed channels, strictly after the cursor. */
    List<Video> feed(String subscriberId, Optional<VideoRepository.Cursor> after, int limit);

    /** Hard cap on how many channels one account may follow: it bounds the feed query. */
    int count(String subscriberId);
}
