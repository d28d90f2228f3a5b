package org.kinora.core.engagement;

/**
 * Event types the engagement features emit through the outbox. View counts emit no per-view
 * event: views are counted in batches (ViewRecorder), and their aggregates live in the daily table.
 */
public final class EngagementEvents {
    private EngagementEvents() {}

    /** {@code subjectId} video; {@code data.rating} like|dislike|none, {@code data.previous}. */
    public static final String VIDEO_RATED = "video.rated";
    /** {@code subjectId} comment; {@code data.video_id}, {@code data.parent_id}, {@code data.parent_author_id}, {@code data.video_owner_id}. */
    public static final String COMMENT_CREATED = "comment.created";
    public static final String COMMENT_DELETED = "comment.deleted";
    /** {@code subjectId} channel; the actor is the subscriber. */
    public static final String CHANNEL_SUBSCRIBED = "channel.subscribed";
    public static final String CHANNEL_UNSUBSCRIBED = "channel.unsubscribed";
}
