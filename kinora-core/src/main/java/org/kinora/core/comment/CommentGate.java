package org.kinora.core.comment;

import java.util.List;
import java.util.Set;
import org.kinora.core.video.Video;

/**
 * Moderation's say over comments: whether a new one may be posted and must wait for review, and
 * which listed ones a viewer may not see (held, hidden by the channel, or by a channel the viewer
 * blocked). {@link #OPEN} lets everything through.
 */
public interface CommentGate {
    CommentGate OPEN = new CommentGate() {
        @Override
        public boolean holds(Video video, String authorId, String body) { return false; }

        @Override
        public void hold(String commentId) {}

        @Override
        public Set<String> unseen(Video video, String viewerId, List<Comment> comments) { return Set.of(); }
    };

    /** Throws when comments are closed; true when the new comment must wait for approval. */
    boolean holds(Video video, String authorId, String body);

    /** Marks a new comment held, in the transaction that inserts it. */
    void hold(String commentId);

    /** The ids among {@code comments} that {@code viewerId} (null: anonymous) may not see. */
    Set<String> unseen(Video video, String viewerId, List<Comment> comments);
}
