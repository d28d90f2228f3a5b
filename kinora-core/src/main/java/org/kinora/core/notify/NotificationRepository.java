package org.kinora.core.notify;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Port: stored notifications. */
public interface NotificationRepository {
    /** Empty when the user already has a notification with the draft's dedup key. */
    Optional<Notification> insert(String userId, Notification.Draft draft, Instant at);

    /** One notification per subscriber of the channel, in one statement; returns those created. */
    List<Notification> insertForSubscribers(String channelId, Notification.Draft draft, Instant at);

    /** Newest first, ids below {@code beforeId} when given. */
    List<Notification> list(String userId, Optional<Long> beforeId, int limit);

    long unreadCount(String userId);

    /** Marks the given ids (or all when empty) read; returns how many changed. */
    int markRead(String userId, List<Long> ids, Instant at);
}
