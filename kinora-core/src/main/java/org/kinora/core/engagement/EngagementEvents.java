package org.kinora.core.engagement;

/**
 * Event types the engagement features emit through the outbox. A like is {@link #VIDEO_RATED}
 * with {@code data.rating = like}.
 */
public final class EngagementEvents {
    private EngagementEvents() {}

    /**
     * One counted view ({@code subjectId} video; the actor is the viewer when signed in). Written by
     * the view counter's batched statement, once per viewer per video per view window.
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
