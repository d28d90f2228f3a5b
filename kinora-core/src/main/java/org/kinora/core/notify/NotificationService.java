package org.kinora.core.notify;

import java.util.List;
import java.util.Optional;
import org.kinora.core.common.Clock;
import org.kinora.core.common.Transactions;

/** Creating notifications (then pushing them live) and reading them. */
public final class NotificationService {
    public static final int MAX_PAGE = 100;

    private final NotificationRepository notifications;
    private final NotificationHub hub;
    private final Transactions tx;
    private final Clock clock;

    public NotificationService(NotificationRepository notifications, NotificationHub hub, Transactions tx, Clock clock) {
        this.tx = tx;
        this.notifications = notifications;
        this.hub = hub;
        this.clock = clock;
    }

    /**
     * Stores and, once the caller's transaction has committed (producers run inside the event
     * delivery's transaction), pushes to open pages. Nothing happens when the same draft (by dedup key) was notified before or the user is the actor. */
    public void notify(String userId, Notification.Draft draft) {
        if (userId == null || userId.equals(draft.actorId())) return;
        notifications.insert(userId, draft, clock.now()).ifPresent(n -> tx.afterCommit(() -> hub.publish(n)));
    }

    public int notifySubscribers(String channelId, Notification.Draft draft) {
        List<Notification> created = notifications.insertForSubscribers(channelId, draft, clock.now());
        tx.afterCommit(() -> created.forEach(hub::publish));
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
