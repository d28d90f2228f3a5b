package org.kinora.server.engines;

import java.util.EnumSet;
import java.util.Set;
import org.kinora.core.events.EventType;

/** The event types relayed to Kafka: every type the domain emits. */
final class RelayedEvents {
    private RelayedEvents() {}

    static final Set<EventType> TYPES = EnumSet.allOf(EventType.class);
}
