package org.kinora.core.moderation;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.kinora.core.account.AccountAdminService;
import org.kinora.core.comment.Comment;
import org.kinora.core.comment.CommentGate;
import org.kinora.core.common.Clock;
import org.kinora.core.common.KinoraException;
import org.kinora.core.video.Video;

/**
 * What moderation decides about comments: closed on a video (off), held for approval (the video's
 * setting, a keyword rule, or an author the channel hid), and who sees what. A held comment is
 * seen by its author, the video's owner and moderators; a hidden author's comments only by the
 * author; a channel the viewer blocked writes nothing the viewer sees.
 */
public final class ModerationCommentGate implements CommentGate {
    private final RestrictionRepository restrictions;
    private final BlockRepository blocks;
    /** Read per comment: admins change the holds at run time (instance settings). */
    private final java.util.function.Supplier<HoldPolicy> holds;
    private final AccountAdminService accounts;
    private final Clock clock;

    public ModerationCommentGate(RestrictionRepository restrictions, BlockRepository blocks, java.util.function.Supplier<HoldPolicy> holds,
                                 AccountAdminService accounts,
                                 Clock clock) {
        this.restrictions = restrictions;
        this.blocks = blocks;
        this.holds = holds;
        this.accounts = accounts;
        this.clock = clock;
    }

    @Override
    public boolean holds(Video video, String authorId, String body) {
        CommentMode mode = restrictions.flags(video.id()).map(VideoFlags::comments).orElse(CommentMode.ON);
        if (mode == CommentMode.OFF) throw KinoraException.forbidden("Comments are turned off for this video.");
        if (video.isOwnedBy(authorId)) return false;
        return mode == CommentMode.HELD || holds.get().commentHold(body).isPresent() || blocks.isHidden(video.ownerId(), authorId);
    }

    @Override
    public void hold(String commentId) {
        restrictions.holdComment(commentId, clock.now());
    }

    @Override
    public Set<String> unseen(Video video, String viewerId, List<Comment> comments) {
        if (comments.isEmpty()) return Set.of();
        Set<String> out = new HashSet<>();
        Set<String> held = restrictions.heldComments(comments.stream().map(Comment::id).toList());
        Set<String> hidden = blocks.hiddenUsers(video.ownerId());
        Set<String> blocked = viewerId == null ? Set.of() : blocks.blockedChannels(viewerId);
        Boolean staff = null;
        for (Comment c : comments) {
            boolean own = c.authorId().equals(viewerId);
            if (own) continue;
            if (blocked.contains(c.authorId()) || hidden.contains(c.authorId())) {
                out.add(c.id());
            } else if (held.contains(c.id())) {
                if (staff == null) staff = video.isOwnedBy(viewerId) || accounts.role(viewerId).canModerate();
                if (!staff) out.add(c.id());
            }
        }
        return out;
    }
}
