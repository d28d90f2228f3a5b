package org.kinora.core.engagement;

/**
 * Event types the engagement features emit through the outbox.
 */
public final class EngagementEvents {
    private EngagementEvents() {}

    /**
     * {@code subjectId} video; {@code data.views}: how many views one flush of the view recorder
     * counted for it. Views are counted in batches, so this is one event per video per flush, not
     * one per view; the totals and daily aggregates are in the database.
     */
    public static final String VIDEO_VIEWED = "video.viewed";
    /** {@code subjectId} video; {@code data.rating} like|dislike|none, {@code data.previous}. */
    public static final String VIDEO_RATED = "video.rated";
    /** {@code subjectId} comment; {@code data.video_id}, {@code data.parent_id}, {@code data.parent_author_id}, {@code data.video_owner_id}. */
    public static final String COMMENT_CREATED = "comment.created";
    public static final String COMMENT_DELETED = "comment.deleted";
    /** {@code subjectId} channel; the actor is the subscriber. */
    public static final String CHANNEL_SUBSCRIBED = "channel.subscribed";
    public static final String CHANNEL_UNSUBSCRIBED = "channel.unsubscribed";
}
