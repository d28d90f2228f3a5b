package org.kinora.adapters.postgres;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.kinora.core.comment.Comment;
import org.kinora.core.comment.CommentRepository;
import org.kinora.core.comment.CommentSort;

public final class PgCommentRepository implements CommentRepository {
    private static final RowMapper<Comment> COMMENT = (rs, ctx) -> new Comment(rs.getString("id"), rs.getString("video_id"),
            rs.getString("author_id"), rs.getString("parent_id"), rs.getString("reply_to_user_id"), rs.getString("body"),
            rs.getInt("reply_count"), PgVideoRepository.instant(rs, "created_at"), PgVideoRepository.instant(rs, "edited_at"),
            PgVideoRepository.instant(rs, "deleted_at"));

    private final PostgresDatabase db;

    public PgCommentRepository(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public void insert(Comment c) {
        db.useHandle(h -> {
            h.createUpdate("""
                            INSERT INTO comments (id, video_id, author_id, parent_id, reply_to_user_id, body, created_at)
                            VALUES (:id, :video, :author, :parent, :replyTo, :body, :at)""")
                    .bind("id", c.id()).bind("video", c.videoId()).bind("author", c.authorId()).bind("parent", c.parentId())
                    .bind("replyTo", c.replyToUserId()).bind("body", c.body()).bind("at", c.createdAt()).execute();
            adjustCounts(h, c, +1);
        });
    }

    private static void adjustCounts(org.jdbi.v3.core.Handle h, Comment c, int delta) {
        h.createUpdate("""
                        INSERT INTO video_stats (video_id, comment_count) VALUES (:v, greatest(:d, 0))
                        ON CONFLICT (video_id) DO UPDATE SET comment_count = video_stats.comment_count + :d""")
                .bind("v", c.videoId()).bind("d", delta).execute();
        if (c.parentId() != null) {
            h.createUpdate("UPDATE comments SET reply_count = reply_count + :d WHERE id = :p")
                    .bind("p", c.parentId()).bind("d", delta).execute();
        }
    }

    @Override
    public Optional<Comment> find(String id) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM comments WHERE id = :id").bind("id", id).map(COMMENT).findOne());
    }

    @Override
    public void updateBody(String id, String body, Instant editedAt) {
        db.useHandle(h -> h.createUpdate("UPDATE comments SET body = :body, edited_at = :at WHERE id = :id AND deleted_at IS NULL")
                .bind("id", id).bind("body", body).bind("at", editedAt).execute());
    }

    @Override
    public boolean markDeleted(String id, Instant at) {
        return db.withHandle(h -> {
            // The text goes with the deletion: a deleted comment must not linger in the database either.
            Optional<Comment> deleted = h.createQuery("""
                            UPDATE comments SET deleted_at = :at, body = '' WHERE id = :id AND deleted_at IS NULL RETURNING *""")
                    .bind("id", id).bind("at", at).map(COMMENT).findOne();
            deleted.ifPresent(c -> adjustCounts(h, c, -1));
            return deleted.isPresent();
        });
    }

    @Override
    public List<Comment> threads(String videoId, CommentSort sort, Optional<Cursor> after, int limit) {
        String order = sort == CommentSort.TOP
                ? "(reply_count, created_at, id) < (:afterCount, :afterTime, :afterId) ORDER BY reply_count DESC, created_at DESC, id DESC"
                : "(created_at, id) < (:afterTime, :afterId) ORDER BY created_at DESC, id DESC";
        String[] parts = order.split(" ORDER BY ");
        return db.withHandle(h -> h.createQuery("""
                        SELECT * FROM comments
                        WHERE video_id = :video AND parent_id IS NULL AND (deleted_at IS NULL OR reply_count > 0)
                          AND (CAST(:afterTime AS timestamptz) IS NULL OR %s)
                        ORDER BY %s LIMIT :limit""".formatted(parts[0], parts[1]))
                .bind("video", videoId)
                .bind("afterCount", after.map(Cursor::replyCount).orElse(0))
                .bind("afterTime", after.map(Cursor::createdAt).orElse(null))
                .bind("afterId", after.map(Cursor::id).orElse(null))
                .bind("limit", limit).map(COMMENT).list());
    }

    @Override
    public List<Comment> replies(String threadId, Optional<Cursor> after, int limit) {
        return db.withHandle(h -> h.createQuery("""
                        SELECT * FROM comments
                        WHERE parent_id = :thread AND deleted_at IS NULL
                          AND (CAST(:afterTime AS timestamptz) IS NULL OR (created_at, id) > (:afterTime, :afterId))
                        ORDER BY created_at, id LIMIT :limit""")
                .bind("thread", threadId)
                .bind("afterTime", after.map(Cursor::createdAt).orElse(null))
                .bind("afterId", after.map(Cursor::id).orElse(null))
                .bind("limit", limit).map(COMMENT).list());
    }
}
