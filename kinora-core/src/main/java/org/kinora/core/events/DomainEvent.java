package org.kinora.core.events;

import java.time.Instant;
import java.util.Map;
import org.kinora.core.common.Ids;

/**
 * Something that happened in the domain, recorded in the same transaction as the change that
 * caused it. {@code subjectId} is what it happened to (a video id, a comment id); {@code actorId}
 * is the user who did it, or null when the system did.
 */
public record DomainEvent(String id, String type, String subjectId, String actorId, Instant occurredAt, Map<String, String> data) {

    public DomainEvent {
        data = Map.copyOf(data);
    }

    public static DomainEvent of(String type, String subjectId, String actorId, Instant at, Map<String, String> data) {
        return new DomainEvent(Ids.newId(), type, subjectId, actorId, at, data);
    }

    public static DomainEvent of(String type, String subjectId, String actorId, Instant at) {
        return of(type, subjectId, actorId, at, Map.of());
    }
}
