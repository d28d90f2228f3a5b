package org.kinora.server.engines;

import java.util.Set;
import org.kinora.core.engagement.EngagementEvents;
import org.kinora.core.events.EventTypes;

/** The event types relayed to Kafka: every type the domain emits today. */
final class RelayedEvents {
    private RelayedEvents() {}

    static final Set<String> TYPES = Set.of(
            EventTypes.VIDEO_UPLOADED, EventTypes.VIDEO_PUBLISHED, EventTypes.VIDEO_PROCESSED, EventTypes.VIDEO_FAILED,
            EventTypes.VIDEO_UPDATED, EventTypes.VIDEO_DELETED,
            EngagementEvents.VIDEO_VIEWED, EngagementEvents.VIDEO_RATED,
            EngagementEvents.COMMENT_CREATED, EngagementEvents.COMMENT_DELETED,
            EngagementEvents.CHANNEL_SUBSCRIBED, EngagementEvents.CHANNEL_UNSUBSCRIBED);
}
