package org.kinora.core.events;

import java.time.Instant;
import java.util.Set;

/**
 * The transactional outbox. {@link #append} joins the caller's current transaction, so an event
 * exists exactly when the change it describes committed; {@link #deliver} hands committed events
 * to one named consumer in a stable order and remembers how far that consumer got.
 */
public interface EventLog {

    void append(EventEnvelope event);

    /** Appends {@code event}, which occurred {@code at}, under a new id. */
    default void append(DomainEvent event, Instant at) {
        append(EventEnvelope.of(event, at));
    }

    /**
     * Hands up to {@code limit} events after {@code consumer}'s checkpoint to {@code handler}, in
     * order, advancing the checkpoint past each one; events whose type is not in {@code types}
     * are passed over. The handler's {@link EventHandler#flush()} runs before the checkpoint
     * moves. When the handler throws, the checkpoint stays before that event and the
     * exception propagates. While one process delivers to a consumer, others get 0 for it.
     *
     * @return how many events the checkpoint moved past
     */
    int deliver(String consumer, Set<EventType> types, int limit, EventHandler handler) throws Exception;
}
