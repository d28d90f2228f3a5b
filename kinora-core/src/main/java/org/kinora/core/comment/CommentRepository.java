package org.kinora.core.comment;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Port: comments, with the video's comment count and the thread's reply count kept in step. */
public interface CommentRepository {
    void insert(Comment comment);

    Optional<Comment> find(String id);

    void updateBody(String id, String body, Instant editedAt);

    /** Marks deleted and lowers the counters; false when it was already deleted. */
    boolean markDeleted(String id, Instant at);

    /** Position in a listing; {@code replyCount} is only used by the top order. */
    record Cursor(int replyCount, Instant createdAt, String id) {}

    /** Threads (deleted ones only while they have replies), in {@code sort} order, after the cursor. */
    List<Comment> threads(String videoId, CommentSort sort, Optional<Cursor> after, int limit);

    /** A thread's live replies, oldest first, after the cursor. */
    List<Comment> replies(String threadId, Optional<Cursor> after, int limit);
}
