package org.kinora.core.notify;

import java.time.Instant;

/**
 * Something a user should learn about. {@code message} is plain text (pages escape it);
 * {@code actorId}, {@code videoId} and {@code commentId} let a page link to what happened.
 */
public record Notification(
        long id,
        String userId,
        String type,
        String actorId,
        String videoId,
        String commentId,
        String message,
        Instant createdAt,
        Instant readAt) {

    public static final String NEW_VIDEO = "new_video";
    public static final String COMMENT = "comment";
    public static final String REPLY = "reply";
    public static final String VIDEO_READY = "video_ready";
    public static final String VIDEO_FAILED = "video_failed";
    /** A moderator approved the owner's held video. */
    public static final String VIDEO_APPROVED = "video_approved";
    /** A moderator took the owner's video down; the message holds the reason. */
    public static final String VIDEO_TAKEN_DOWN = "video_taken_down";
    /** A subscribed channel went live; {@code videoId} holds the live's id (its page is /live/{id}). */
    public static final String LIVE_STARTED = "live_started";

    /** What a producer asks for; {@code dedupKey} makes a repeated request (an event delivered twice) a no-op. */
    public record Draft(String type, String actorId, String videoId, String commentId, String message, String dedupKey) {}
}
