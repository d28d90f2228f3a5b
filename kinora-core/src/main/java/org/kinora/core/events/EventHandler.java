package org.kinora.core.events;

/** Reacts to one event. Delivery is at least once, so a handler must be idempotent. */
@FunctionalInterface
public interface EventHandler {
    void handle(EventEnvelope event) throws Exception;

    /**
     * Called after the last event of a batch, before the consumer's checkpoint moves past them:
     * a handler that forwards events asynchronously (a relay to a broker) waits here for every
     * acknowledgement and throws if one failed, so the batch is delivered again.
     */
    default void flush() throws Exception {}

    /**
     * Whether the dispatcher may pass over an event this handler keeps failing on (so one
     * poisoned event cannot stall it). A relay answers false: skipping would lose the event, so
     * it is retried, with a capped pause, until it goes through.
     */
    default boolean mayPassOver() { return true; }
}
