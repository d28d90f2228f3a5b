package org.kinora.core.comment;

import java.util.List;
import java.util.Optional;
import org.kinora.core.account.AccountAdminService;
import org.kinora.core.common.Clock;
import org.kinora.core.common.Ids;
import org.kinora.core.common.KinoraException;
import org.kinora.core.common.RateLimiter;
import org.kinora.core.common.Transactions;
import org.kinora.core.events.DomainEvent;
import org.kinora.core.events.EventLog;
import org.kinora.core.video.Video;
import org.kinora.core.video.VideoService;

/**
 * Threaded comments. Who may do what: anyone who can see the video reads; signed-in users
 * write (rate-limited per user); authors edit and delete their own; the video's owner and
 * moderators delete any on it.
 */
public final class CommentService {
    public static final int MAX_LENGTH = 10_000;
    public static final int MAX_PAGE = 100;

    private final CommentRepository comments;
    private final VideoService videos;
    private final AccountAdminService accounts;
    private final EventLog events;
    private final RateLimiter limiter;
    private final Transactions tx;
    private final Clock clock;
    private final CommentGate gate;

    public CommentService(CommentRepository comments, VideoService videos, AccountAdminService accounts,
                          EventLog events, RateLimiter limiter, Transactions tx, Clock clock) {
        this(comments, videos, accounts, events, limiter, tx, clock, CommentGate.OPEN);
    }

    public CommentService(CommentRepository comments, VideoService videos, AccountAdminService accounts,
                          EventLog events, RateLimiter limiter, Transactions tx, Clock clock, CommentGate gate) {
        this.gate = gate;
        this.comments = comments;
        this.videos = videos;
        this.accounts = accounts;
        this.events = events;
        this.limiter = limiter;
        this.tx = tx;
        this.clock = clock;
    }

    public Comment add(String videoId, String authorId, String body, String parentId) {
        Video video = videos.visibleVideo(videoId, authorId);
        String text = validBody(body);
        Comment parent = null;
        if (parentId != null && !parentId.isBlank()) {
            parent = find(parentId).filter(c -> c.videoId().equals(video.id()) && !c.isDeleted())
                    .orElseThrow(() -> KinoraException.notFound("The comment you are replying to"));
        }
        boolean held = gate.holds(video, authorId, text);
        limiter.acquire(authorId);
        String threadId = parent == null ? null : parent.isReply() ? parent.parentId() : parent.id();
        Comment c = new Comment(Ids.newId(), video.id(), authorId, threadId, parent == null ? null : parent.authorId(),
                text, 0, clock.now(), null, null);
        // The event commits with the comment; notifications follow from it (NotificationProducer).
        var created = new DomainEvent.CommentCreated(c.id(), authorId, video.id(), video.ownerId(), video.title(),
                parent == null ? null : parent.id(), parent == null ? null : parent.authorId());
        tx.inTransaction(() -> {
            comments.insert(c);
            // A held comment is announced to no one (it may be spam); approving it publishes it quietly.
            if (held) gate.hold(c.id());
            else events.append(created, c.createdAt());
        });
        return c;
    }

    public Comment edit(String commentId, String userId, String body) {
        Comment c = visibleComment(commentId, userId);
        if (!c.authorId().equals(userId)) throw KinoraException.forbidden("Only the comment's author may edit it.");
        String text = validBody(body);
        comments.updateBody(c.id(), text, clock.now());
        return comments.find(c.id()).orElseThrow();
    }

    public void delete(String commentId, String userId) {
        Comment c = visibleComment(commentId, userId);
        Video video = videos.visibleVideo(c.videoId(), userId);
        boolean allowed = c.authorId().equals(userId) || video.isOwnedBy(userId) || accounts.role(userId).canModerate();
        if (!allowed) {
            throw KinoraException.forbidden("Only the comment's author, the video's owner or a moderator may delete it.");
        }
        tx.inTransaction(() -> {
            if (comments.markDeleted(c.id(), clock.now())) {
                events.append(new DomainEvent.CommentDeleted(c.id(), userId, c.videoId()), clock.now());
            }
        });
    }

    public Comment comment(String commentId, String viewerId) {
        return visibleComment(commentId, viewerId);
    }

    public List<Comment> threads(String videoId, String viewerId, CommentSort sort, Optional<CommentRepository.Cursor> after, int limit) {
        Video v = videos.visibleVideo(videoId, viewerId);
        return visibleOnly(v, viewerId, comments.threads(v.id(), sort, after, clamp(limit)));
    }

    public List<Comment> replies(String threadId, String viewerId, Optional<CommentRepository.Cursor> after, int limit) {
        Comment thread = visibleComment(threadId, viewerId);
        return visibleOnly(videos.visibleVideo(thread.videoId(), viewerId), viewerId, comments.replies(thread.id(), after, clamp(limit)));
    }

    private Comment visibleComment(String id, String viewerId) {
        Comment c = find(id).filter(x -> !x.isDeleted()).orElseThrow(() -> KinoraException.notFound("Comment"));
        Video v = videos.visibleVideo(c.videoId(), viewerId); // same 404 when the video is not visible
        if (!gate.unseen(v, viewerId, List.of(c)).isEmpty()) throw KinoraException.notFound("Comment");
        return c;
    }

    /**
     * Drops what moderation withholds from this viewer. A page can come back shorter than asked
     * for, and when the dropped row was the one past the page that tells a next page exists, the
     * list ends early; withheld comments are few, so this trades exactness for one query.
     */
    private List<Comment> visibleOnly(Video v, String viewerId, List<Comment> rows) {
        java.util.Set<String> unseen = gate.unseen(v, viewerId, rows);
        return unseen.isEmpty() ? rows : rows.stream().filter(c -> !unseen.contains(c.id())).toList();
    }

    private Optional<Comment> find(String id) {
        return Ids.looksValid(id) ? comments.find(id) : Optional.empty();
    }

    private static int clamp(int limit) {
        return Math.max(1, Math.min(limit, MAX_PAGE));
    }

    private static String validBody(String body) {
        String text = body == null ? "" : body.strip();
        if (text.isEmpty()) throw KinoraException.badRequest("empty_comment", "Write something first: the comment is empty.");
        if (text.length() > MAX_LENGTH) {
            throw KinoraException.badRequest("comment_too_long", "Comments are at most " + MAX_LENGTH + " characters.");
        }
        if (text.chars().anyMatch(ch -> ch == 0)) throw KinoraException.badRequest("invalid_comment", "Comments cannot contain NUL characters.");
        return text;
    }
}
