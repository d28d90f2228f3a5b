package org.kinora.core.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each subscribed consumer on its own virtual thread, polling the {@link EventLog}. A handler
 * that fails is retried with a growing pause; an event that keeps failing is logged and passed
 * over after {@link #MAX_ATTEMPTS}, so one poisoned event cannot stall a consumer forever, unless
 * the handler says it may not be ({@link EventHandler#mayPassOver()}: a relay), in which case
 * it is retried until it goes through.
 */
public final class EventDispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventDispatcher.class);
    static final int MAX_ATTEMPTS = 8;
    private static final int BATCH = 100;

    private final EventLog events;
    private final Duration pollInterval;
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean();

    private record Subscription(String consumer, Set<EventType> types, EventHandler handler) {}

    public EventDispatcher(EventLog events, Duration pollInterval) {
        this.events = events;
        this.pollInterval = pollInterval;
    }

    /** Registers a consumer; call before {@link #start}. The name is its checkpoint: keep it stable. */
    public EventDispatcher subscribe(String consumer, Set<EventType> types, EventHandler handler) {
        if (running.get()) throw new IllegalStateException("subscribe before start()");
        subscriptions.add(new Subscription(consumer, Set.copyOf(types), handler));
        return this;
    }

    public void start() {
        if (!running.compareAndSet(false, true)) return;
        for (Subscription s : subscriptions) {
            threads.add(Thread.ofVirtual().name("events-" + s.consumer()).start(() -> loop(s)));
        }
    }

    private void loop(Subscription s) {
        String failingId = null;
        int attempts = 0;
        while (running.get()) {
            String[] current = new String[1];
            boolean giveUp = attempts >= MAX_ATTEMPTS && s.handler().mayPassOver();
            String skip = failingId;
            try {
                int moved = events.deliver(s.consumer(), s.types(), BATCH, new EventHandler() {
                    @Override
                    public void handle(EventEnvelope event) throws Exception {
                        current[0] = event.id();
                        try {
                            s.handler().handle(event);
                        } catch (Exception e) {
                            if (!(giveUp && event.id().equals(skip))) throw e;
                            log.error("consumer {} gave up on event {} ({} {}) after {} attempts: {}",
                                    s.consumer(), event.id(), event.type().wireName(), event.subjectId(), MAX_ATTEMPTS, e.toString());
                        }
                    }

                    @Override
                    public void flush() throws Exception {
                        s.handler().flush();
                    }
                });
                failingId = null; // every event up to here was handled or passed over
                attempts = 0;
                if (moved < BATCH && !pause(pollInterval)) return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (Objects.equals(current[0], failingId)) {
                    attempts++;
                } else {
                    failingId = current[0];
                    attempts = 1;
                }
                log.warn("consumer {} failed on event {} (attempt {}): {}", s.consumer(), current[0], attempts, e.toString());
                if (!pause(pollInterval.multipliedBy(1L << Math.min(attempts, 6)))) return;
            }
        }
    }

    private boolean pause(Duration d) {
        try {
            Thread.sleep(d);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        running.set(false);
        try {
            // Let a batch in flight finish first: interrupting a virtual thread in the middle of
            // JDBC I/O breaks its connection and rolls the batch back, and a relay then sends
            // the batch again after restart (a duplicate for every graceful stop).
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            for (Thread t : threads) t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            for (Thread t : threads) t.interrupt();
            for (Thread t : threads) t.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        threads.clear();
    }
}
