package org.kinora.server.playback;

import java.util.Set;
import org.kinora.core.events.DomainEvent;
import org.kinora.core.events.EventEnvelope;
import org.kinora.core.events.EventHandler;
import org.kinora.core.events.EventType;
import org.kinora.core.playback.PlaybackRevocations;
import org.kinora.core.video.Privacy;

/**
 * Revokes cached playback of a video made private or deleted, and reinstates one made public or
 * unlisted again. Driven by the outbox (polled every 250 ms), so the revocation commits with the
 * change itself and survives a crash between the two; handling twice is harmless.
 */
final class RevocationConsumer implements EventHandler {
    static final String CONSUMER = "playback-revocations";
    static final Set<EventType> TYPES = Set.of(EventType.VIDEO_UPDATED, EventType.VIDEO_DELETED);

    private final PlaybackRevocations revocations;

    RevocationConsumer(PlaybackRevocations revocations) {
        this.revocations = revocations;
    }

    @Override
    public void handle(EventEnvelope event) {
        switch (event.event()) {
            case DomainEvent.VideoDeleted d -> revocations.revoke(d.videoId(), "deleted");
            case DomainEvent.VideoUpdated u when u.privacy() == Privacy.PRIVATE -> {
                if (u.previousPrivacy() != Privacy.PRIVATE) revocations.revoke(u.videoId(), "private");
            }
            case DomainEvent.VideoUpdated u -> {
                if (u.previousPrivacy() == Privacy.PRIVATE) revocations.reinstate(u.videoId());
            }
            default -> { }
        }
    }
}
