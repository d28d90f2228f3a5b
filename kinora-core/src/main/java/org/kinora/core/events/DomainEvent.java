package org.kinora.core.events;

import org.kinora.core.engagement.Rating;
import org.kinora.core.video.Privacy;

/**
 * Something that happened in the domain, recorded in the same transaction as the change that
 * caused it (see {@link EventLog}). Every event names what it happened to ({@link #subjectId()}:
 * a video, a comment, a channel) and who did it ({@link #actorId()}, null when the system did);
 * the rest are typed fields that consumers read directly. {@link EventCodec} is the one place that
 * turns them into the stored row and back.
 */
public sealed interface DomainEvent {

    EventType type();

    String subjectId();

    /** The user who caused the event, or null when the system did. */
    String actorId();

    /** The upload is complete ({@code bytes} long) and transcoding is queued. */
    record VideoUploaded(String videoId, String ownerId, long bytes) implements DomainEvent {
        public EventType type() { return EventType.VIDEO_UPLOADED; }
        public String subjectId() { return videoId; }
        public String actorId() { return ownerId; }
    }

    /** {@code rendition} is the first playable rung; {@code privacy} the video's privacy then. */
    record VideoPublished(String videoId, String ownerId, Privacy privacy, String rendition) implements DomainEvent {
        public EventType type() { return EventType.VIDEO_PUBLISHED; }
        public String subjectId() { return videoId; }
        public String actorId() { return ownerId; }
    }

    record VideoProcessed(String videoId, String ownerId, int renditions) implements DomainEvent {
        public EventType type() { return EventType.VIDEO_PROCESSED; }
        public String subjectId() { return videoId; }
        public String actorId() { return ownerId; }
    }

    /** {@code actorId} is the owner when the pipeline failed, null when an upload expired. */
    record VideoFailed(String videoId, String actorId, String reason) implements DomainEvent {
        public EventType type() { return EventType.VIDEO_FAILED; }
        public String subjectId() { return videoId; }
    }

    record VideoUpdated(String videoId, String actorId, Privacy privacy, Privacy previousPrivacy) implements DomainEvent {
        public EventType type() { return EventType.VIDEO_UPDATED; }
        public String subjectId() { return videoId; }

        /** Whether this edit made the video public just now (it was not before). */
        public boolean madePublic() { return privacy == Privacy.PUBLIC && previousPrivacy != Privacy.PUBLIC; }
    }

    record VideoDeleted(String videoId, String actorId) implements DomainEvent {
        public EventType type() { return EventType.VIDEO_DELETED; }
        public String subjectId() { return videoId; }
    }

    /** {@code views}: how many views one flush of the view recorder counted for the video. */
    record VideoViewed(String videoId, int views) implements DomainEvent {
        public EventType type() { return EventType.VIDEO_VIEWED; }
        public String subjectId() { return videoId; }
        public String actorId() { return null; }
    }

    /**
     * The play events of one video that one flush of the view recorder took, in the order they
     * arrived: one outbox row per video per flush rather than one per heartbeat, so that the
     * outbox (and every consumer reading past these rows) grows with flushes, not with viewers.
     */
    record VideoPlayed(String videoId, java.util.List<org.kinora.core.view.PlayEvent> plays) implements DomainEvent {
        public VideoPlayed {
            plays = java.util.List.copyOf(plays);
        }

        public EventType type() { return EventType.VIDEO_PLAYED; }
        public String subjectId() { return videoId; }
        public String actorId() { return null; }
    }

    record VideoRated(String videoId, String userId, Rating rating, Rating previous) implements DomainEvent {
        public EventType type() { return EventType.VIDEO_RATED; }
        public String subjectId() { return videoId; }
        public String actorId() { return userId; }
    }

    /** {@code parentId} and {@code parentAuthorId} are null for a top-level comment. */
    record CommentCreated(String commentId, String authorId, String videoId, String videoOwnerId, String videoTitle,
                          String parentId, String parentAuthorId) implements DomainEvent {
        public EventType type() { return EventType.COMMENT_CREATED; }
        public String subjectId() { return commentId; }
        public String actorId() { return authorId; }
    }

    record CommentDeleted(String commentId, String actorId, String videoId) implements DomainEvent {
        public EventType type() { return EventType.COMMENT_DELETED; }
        public String subjectId() { return commentId; }
    }

    /** The actor is the subscriber. */
    record ChannelSubscribed(String channelId, String userId) implements DomainEvent {
        public EventType type() { return EventType.CHANNEL_SUBSCRIBED; }
        public String subjectId() { return channelId; }
        public String actorId() { return userId; }
    }

    record ChannelUnsubscribed(String channelId, String userId) implements DomainEvent {
        public EventType type() { return EventType.CHANNEL_UNSUBSCRIBED; }
        public String subjectId() { return channelId; }
        public String actorId() { return userId; }
    }

    /** {@code liveId}: the live session; {@code title}: the live's title when it started. */
    record LiveStarted(String liveId, String ownerId, String title) implements DomainEvent {
        public EventType type() { return EventType.LIVE_STARTED; }
        public String subjectId() { return liveId; }
        public String actorId() { return ownerId; }
    }

    /**
     * A moderator decided on a video: {@code approved} released it from a hold before publication,
     * otherwise it was taken down; {@code reason} is what the moderator wrote. Subscribers of a held
     * video hear of it from this event (it was kept from them until now), and its owner is told.
     */
    record VideoReviewed(String videoId, String moderatorId, String ownerId, boolean approved, String reason) implements DomainEvent {
        public EventType type() { return EventType.VIDEO_REVIEWED; }
        public String subjectId() { return videoId; }
        public String actorId() { return moderatorId; }
    }
}
