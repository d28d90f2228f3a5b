package org.kinora.core.common;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Port: live messages between the Kinora processes of one deployment (notifications for open
 * pages, "this video changed" for status streams). Delivery is at most once and only to those
 * listening at that moment: what must not be lost lives in the database, and listeners treat a
 * message as a hint to look there now rather than at their next poll.
 *
 * <p>{@link #inProcess()} reaches only this process (the embedded default); the Redis adapter
 * reaches every process connected to the same Redis, including this one.
 */
public interface LiveBus {
    /** A named channel carrying messages of one type (a record the adapter can serialise as JSON). */
    <T> Topic<T> topic(String name, Class<T> type);

    interface Topic<T> {
        /** Sends to every listener of the topic in every process; never throws. */
        void publish(T message);

        /** Registers a listener in this process; closing the handle unregisters it. Listeners must not block. */
        Subscription subscribe(Consumer<T> listener);
    }

    /** A registered listener; {@link #close} unregisters it. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    /** Delivers to the listeners of this process only, synchronously on the publisher's thread. */
    static LiveBus inProcess() {
        return new InProcess();
    }

    /** Listeners by topic name; shared by the in-process bus and adapters that fan a remote message out locally. */
    final class Listeners {
        private static final Logger log = LoggerFactory.getLogger(LiveBus.class);
        private final Map<String, Set<Consumer<Object>>> byTopic = new ConcurrentHashMap<>();

        @SuppressWarnings("unchecked")
        public <T> Subscription add(String topic, Consumer<T> listener) {
            Consumer<Object> l = (Consumer<Object>) listener;
            byTopic.computeIfAbsent(topic, k -> ConcurrentHashMap.newKeySet()).add(l);
            return () -> byTopic.computeIfPresent(topic, (k, set) -> {
                set.remove(l);
                return set.isEmpty() ? null : set;
            });
        }

        public void deliver(String topic, Object message) {
            Set<Consumer<Object>> set = byTopic.get(topic);
            if (set == null) return;
            for (Consumer<Object> l : set) {
                try {
                    l.accept(message);
                } catch (RuntimeException e) {
                    log.warn("a listener of {} failed: {}", topic, e.toString());
                }
            }
        }

        public boolean has(String topic) { return byTopic.containsKey(topic); }
    }

    final class InProcess implements LiveBus {
        private final Listeners listeners = new Listeners();

        @Override
        public <T> Topic<T> topic(String name, Class<T> type) {
            return new Topic<>() {
                @Override
                public void publish(T message) {
                    listeners.deliver(name, message);
                }

                @Override
                public Subscription subscribe(Consumer<T> listener) {
                    return listeners.add(name, listener);
                }
            };
        }
    }
}
