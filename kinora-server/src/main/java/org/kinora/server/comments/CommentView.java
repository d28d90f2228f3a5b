package org.kinora.server.comments;

import java.time.Instant;
import org.kinora.server.channels.ChannelSummary;

/**
 * A comment as pages get it. {@code text} is the plain text as written (render it escaped);
 * a deleted thread that still has replies comes with {@code deleted: true}, null text and null
 * author. {@code canEdit}/{@code canDelete} say what the caller may do with it.
 */
public record CommentView(
        String id,
        String videoId,
        String parentId,
        String text,
        ChannelSummary author,
        ChannelSummary replyTo,
        int replyCount,
        boolean deleted,
        boolean canEdit,
        boolean canDelete,
        Instant createdAt,
        Instant editedAt) {}
