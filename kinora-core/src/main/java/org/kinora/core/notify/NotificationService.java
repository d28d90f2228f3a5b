package org.kinora.core.notify;

import java.util.List;
import java.util.Optional;
import org.kinora.core.common.Clock;

/** Creating notifications (then pushing them live) and reading them. */
public final class NotificationService {
    public static final int MAX_PAGE = 100;

    private final NotificationRepository notifications;
    private final NotificationHub hub;
    private final Clock clock;

    public NotificationService(NotificationRepository notifications, NotificationHub hub, Clock clock) {
        this.notifications = notifications;
        this.hub = hub;
        this.clock = clock;
    }

    /** Stores and pushes; nothing happens when the same draft (by dedup key) was notified before or the user is the actor. */
    public void notify(String userId, Notification.Draft draft) {
        if (userId == null || userId.equals(draft.actorId())) return;
        notifications.insert(userId, draft, clock.now()).ifPresent(hub::publish);
    }

    public int notifySubscribers(String channelId, Notification.Draft draft) {
        List<Notification> created = notifications.insertForSubscribers(channelId, draft, clock.now());
        created.forEach(hub::publish);
        return created.size();
    }

    public List<Notification> list(String userId, Optional<Long> beforeId, int limit) {
        return notifications.list(userId, beforeId, Math.max(1, Math.min(limit, MAX_PAGE)));
    }

    public long unreadCount(String userId) {
        return notifications.unreadCount(userId);
    }

    public int markRead(String userId, List<Long> ids) {
        return notifications.markRead(userId, ids, clock.now());
    }

    public NotificationHub hub() { return hub; }
}
