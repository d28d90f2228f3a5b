package org.kinora.core.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The dispatcher's retry rules, over an in-memory log with the same contract as PgEventLog. */
@Timeout(60)
class EventDispatcherTest {

    /** One consumer; the checkpoint moves only when every handle() and the flush() succeeded. */
    static final class MemoryLog implements EventLog {
        final List<EventEnvelope> events = new CopyOnWriteArrayList<>();
        volatile int checkpoint;

        @Override
        public void append(EventEnvelope event) {
            events.add(event);
        }

        @Override
        public synchronized int deliver(String consumer, Set<EventType> types, int limit, EventHandler handler) throws Exception {
            List<EventEnvelope> batch = new ArrayList<>(events.subList(checkpoint, Math.min(events.size(), checkpoint + limit)));
            for (EventEnvelope e : batch) if (types.contains(e.type())) handler.handle(e);
            if (!batch.isEmpty()) handler.flush();
            checkpoint += batch.size();
            return batch.size();
        }
    }

    private static EventEnvelope event(String subject) {
        return EventEnvelope.of(new DomainEvent.VideoUploaded(subject, null, 1), Instant.now());
    }

    @Test
    void aHandlerThatMayNotBePassedOverIsRetriedUntilItsEventGoesThrough() throws Exception {
        MemoryLog log = new MemoryLog();
        log.append(event("a"));
        log.append(event("b"));
        AtomicInteger failuresLeft = new AtomicInteger(EventDispatcher.MAX_ATTEMPTS + 3);
        List<String> delivered = new CopyOnWriteArrayList<>();
        List<String> pending = new ArrayList<>();
        try (EventDispatcher d = new EventDispatcher(log, Duration.ofMillis(1))) {
            d.subscribe("relay", Set.of(EventType.VIDEO_UPLOADED), new EventHandler() {
                @Override
                public void handle(EventEnvelope e) {
                    pending.add(e.subjectId());
                }

                @Override
                public void flush() {
                    List<String> batch = List.copyOf(pending);
                    pending.clear();
                    if (failuresLeft.getAndDecrement() > 0) throw new IllegalStateException("broker away");
                    delivered.addAll(batch);
                }

                @Override
                public boolean mayPassOver() {
                    return false;
                }
            });
            d.start();
            long deadline = System.currentTimeMillis() + 20_000;
            while (log.checkpoint < 2 && System.currentTimeMillis() < deadline) Thread.sleep(10);
        }
        assertThat(log.checkpoint).isEqualTo(2);
        assertThat(delivered).containsExactly("a", "b");
    }

    @Test
    void anOrdinaryHandlerPassesOverAPoisonedEventAfterMaxAttempts() throws Exception {
        MemoryLog log = new MemoryLog();
        log.append(event("poison"));
        log.append(event("fine"));
        List<String> handled = new CopyOnWriteArrayList<>();
        try (EventDispatcher d = new EventDispatcher(log, Duration.ofMillis(1))) {
            d.subscribe("search", Set.of(EventType.VIDEO_UPLOADED), e -> {
                if (e.subjectId().equals("poison")) throw new IllegalStateException("cannot index");
                handled.add(e.subjectId());
            });
            d.start();
            long deadline = System.currentTimeMillis() + 20_000;
            while (log.checkpoint < 2 && System.currentTimeMillis() < deadline) Thread.sleep(10);
        }
        assertThat(log.checkpoint).isEqualTo(2);
        assertThat(handled).contains("fine");
    }
}
