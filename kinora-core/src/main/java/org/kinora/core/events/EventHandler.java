package org.kinora.core.events;

/** Reacts to one event. Delivery is at least once, so a handler must be idempotent. */
@FunctionalInterface
public interface EventHandler {
    void handle(DomainEvent event) throws Exception;
}
