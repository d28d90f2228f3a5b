package org.kinora.server.moderation;

import static org.kinora.server.http.ApiRole.IDEMPOTENT;
import static org.kinora.server.http.ApiRole.SIGNED_IN;
import static org.kinora.server.http.ApiRole.WRITE_LIMITED;
import static org.kinora.server.http.Doc.doc;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.kinora.core.account.AccountAdminService;
import org.kinora.core.comment.Comment;
import org.kinora.core.comment.CommentRepository;
import org.kinora.core.common.KinoraException;
import org.kinora.core.moderation.RestrictionRepository;
import org.kinora.core.video.Video;
import org.kinora.core.video.VideoService;
import org.kinora.server.http.Api;
import org.kinora.server.http.Authenticator;
import org.kinora.server.http.Routes;

/** Comments held for approval on a video: its owner (or a moderator) lists and approves them. */
record HeldCommentRoutes(CommentRepository comments, RestrictionRepository restrictions, VideoService videos,
                         AccountAdminService accounts, Authenticator auth) implements Routes {
    record HeldComment(String id, String authorId, String text, Instant createdAt) {}

    @Override
    public void register(Api app) {
        app.get("/api/v1/videos/{id}/held-comments", doc("Your video's comments waiting for approval", SIGNED_IN), ctx -> {
            String user = auth.requireUser(ctx);
            Video v = manageable(ctx.pathParam("id"), user);
            List<HeldComment> held = restrictions.heldCommentsOf(v.id(), 200).stream().map(comments::find)
                    .flatMap(java.util.Optional::stream).map(c -> new HeldComment(c.id(), c.authorId(), c.body(), c.createdAt())).toList();
            ctx.header("Cache-Control", "no-store");
            ctx.json(Map.of("items", held));
        });
        app.post("/api/v1/comments/{id}/approve", doc("Publish a comment held for approval on your video", WRITE_LIMITED, IDEMPOTENT, SIGNED_IN), ctx -> {
            String user = auth.requireUser(ctx);
            Comment c = comments.find(ctx.pathParam("id")).filter(x -> !x.isDeleted())
                    .orElseThrow(() -> KinoraException.notFound("Comment"));
            manageable(c.videoId(), user);
            restrictions.releaseComment(c.id());
            ctx.status(204);
        });
    }

    private Video manageable(String videoId, String user) {
        Video v = videos.visibleVideo(videoId, user);
        if (!v.isOwnedBy(user) && !accounts.role(user).canModerate()) {
            throw KinoraException.forbidden("Only the video's owner or a moderator may review its held comments.");
        }
        return v;
    }
}
