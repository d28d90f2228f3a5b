package org.kinora.core.events;

import java.util.Optional;

/**
 * The one catalogue of event names: each constant is the {@code type} column of an outbox row and
 * the {@code type} field of a relayed Kafka message. The names are stored, so never rename one;
 * add a constant together with its record in {@link DomainEvent} and its fields in {@link EventCodec}.
 */
public enum EventType {
    /** All of the file arrived; transcoding is queued. */
    VIDEO_UPLOADED("video.uploaded"),
    /** The first rendition is playable; the video is now visible according to its privacy. */
    VIDEO_PUBLISHED("video.published"),
    /** Every rung, the poster and the storyboard are done. */
    VIDEO_PROCESSED("video.processed"),
    /** The video cannot be played. */
    VIDEO_FAILED("video.failed"),
    /** Title, description, tags or privacy changed. */
    VIDEO_UPDATED("video.updated"),
    VIDEO_DELETED("video.deleted"),
    /** Views are counted in batches: one event per video per flush of the view recorder, not one per view. */
    VIDEO_VIEWED("video.viewed"),
    VIDEO_RATED("video.rated"),
    /** The play events (start, heartbeat, seek, complete) one flush of the view recorder took for a video: analytics read these. */
    VIDEO_PLAYED("video.played"),
    COMMENT_CREATED("comment.created"),
    COMMENT_DELETED("comment.deleted"),
    CHANNEL_SUBSCRIBED("channel.subscribed"),
    CHANNEL_UNSUBSCRIBED("channel.unsubscribed"),
    /** A channel went live (a new live session; a publisher reconnecting within the grace period is not one). */
    LIVE_STARTED("live.started"),
    /** A moderator approved a held video or took a video down. */
    VIDEO_REVIEWED("video.reviewed");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() { return wireName; }

    /** The type stored under {@code wireName}; empty for a name this version does not know. */
    public static Optional<EventType> parse(String wireName) {
        for (EventType t : values()) if (t.wireName.equals(wireName)) return Optional.of(t);
        return Optional.empty();
    }
}
