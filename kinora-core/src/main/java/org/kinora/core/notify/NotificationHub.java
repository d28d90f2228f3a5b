package org.kinora.core.notify;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.kinora.core.common.LiveBus;

/**
 * Live delivery to open pages (SSE connections register here). A notification is published on
 * the {@link LiveBus}; every process, this one included, hands it to the pages of that user
 * connected to it. With the in-process bus that is this process only; with Redis pub/sub a user
 * connected to node A sees what was produced on node B.
 */
public final class NotificationHub {
    static final String TOPIC = "notifications";

    private final Map<String, Set<Consumer<Notification>>> listeners = new ConcurrentHashMap<>();
    private final LiveBus.Topic<Notification> topic;

    /** Delivery within this process only. */
    public NotificationHub() {
        this(LiveBus.inProcess());
    }

    public NotificationHub(LiveBus bus) {
        this.topic = bus.topic(TOPIC, Notification.class);
        // Held for the life of the process, like the hub itself.
        topic.subscribe(this::deliverHere);
    }

    /** Registers a listener for one user's notifications; closing the handle unregisters it. */
    public AutoCloseable listen(String userId, Consumer<Notification> listener) {
        listeners.computeIfAbsent(userId, k -> ConcurrentHashMap.newKeySet()).add(listener);
        return () -> listeners.computeIfPresent(userId, (k, set) -> {
            set.remove(listener);
            return set.isEmpty() ? null : set;
        });
    }

    public void publish(Notification n) {
        topic.publish(n);
    }

    private void deliverHere(Notification n) {
        Set<Consumer<Notification>> set = listeners.get(n.userId());
        if (set == null) return;
        for (Consumer<Notification> l : set) l.accept(n);
    }

    public int connections() {
        return listeners.values().stream().mapToInt(Set::size).sum();
    }
}
