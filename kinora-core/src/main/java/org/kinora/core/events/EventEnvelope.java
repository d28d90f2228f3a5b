package org.kinora.core.events;

import java.time.Instant;
import java.util.Objects;
import org.kinora.core.common.Ids;

/**
 * A {@link DomainEvent} as the outbox holds it: with its id (consumers deduplicate by it, since
 * delivery is at least once) and when it occurred.
 */
public record EventEnvelope(String id, Instant occurredAt, DomainEvent event) {

    public EventEnvelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(event, "event");
    }

    public static EventEnvelope of(DomainEvent event, Instant at) {
        return new EventEnvelope(Ids.newId(), at, event);
    }

    public EventType type() { return event.type(); }

    public String subjectId() { return event.subjectId(); }

    public String actorId() { return event.actorId(); }
}
