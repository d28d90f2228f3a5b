package org.kinora.core.notify;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Live delivery to the pages open in this process (SSE connections register here). A user with
 * pages on another API node gets the notification there on the next list call; relaying between
 * nodes (PostgreSQL LISTEN/NOTIFY or Redis pub/sub) is the scaled-out step.
 */
public final class NotificationHub {
    private final Map<String, Set<Consumer<Notification>>> listeners = new ConcurrentHashMap<>();

    /** Registers a listener for one user's notifications; closing the handle unregisters it. */
    public AutoCloseable listen(String userId, Consumer<Notification> listener) {
        listeners.computeIfAbsent(userId, k -> ConcurrentHashMap.newKeySet()).add(listener);
        return () -> listeners.computeIfPresent(userId, (k, set) -> {
            set.remove(listener);
            return set.isEmpty() ? null : set;
        });
    }

    public void publish(Notification n) {
        Set<Consumer<Notification>> set = listeners.get(n.userId());
        if (set == null) return;
        for (Consumer<Notification> l : set) l.accept(n);
    }

    public int connections() {
        return listeners.values().stream().mapToInt(Set::size).sum();
    }
}
