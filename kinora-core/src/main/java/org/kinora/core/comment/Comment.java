package org.kinora.core.comment;

import java.time.Instant;

/**
 * A comment as stored: plain text exactly as written (pages escape it when rendering).
 * {@code parentId} is the thread's top comment for replies, null for a thread;
 * {@code replyToUserId} is whom a reply answered. A deleted thread with replies keeps its
 * place (shown as deleted) so the replies keep their context.
 */
public record Comment(
        String id,
        String videoId,
        String authorId,
        String parentId,
        String replyToUserId,
        String body,
        int replyCount,
        Instant createdAt,
        Instant editedAt,
        Instant deletedAt) {

    public boolean isDeleted() { return deletedAt != null; }

    public boolean isReply() { return parentId != null; }
}
