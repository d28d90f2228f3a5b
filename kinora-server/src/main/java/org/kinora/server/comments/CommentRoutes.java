package org.kinora.server.comments;

import static org.kinora.server.http.ApiRole.IDEMPOTENT;
import static org.kinora.server.http.ApiRole.SIGNED_IN;
import static org.kinora.server.http.ApiRole.WRITE_LIMITED;
import static org.kinora.server.http.Doc.doc;

import io.javalin.http.Context;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.kinora.core.account.AccountAdminService;
import org.kinora.core.channel.Channel;
import org.kinora.core.channel.ChannelService;
import org.kinora.core.comment.Comment;
import org.kinora.core.comment.CommentRepository;
import org.kinora.core.comment.CommentService;
import org.kinora.core.comment.CommentSort;
import org.kinora.core.common.Cursors;
import org.kinora.core.common.KinoraException;
import org.kinora.core.common.Page;
import org.kinora.core.video.Video;
import org.kinora.core.video.VideoService;
import org.kinora.server.auth.AuthRoutes;
import org.kinora.server.channels.ChannelSummary;
import org.kinora.server.http.Api;
import org.kinora.server.http.Authenticator;
import org.kinora.server.http.ListResponse;
import org.kinora.server.http.Params;
import org.kinora.server.http.Routes;

/** Comment threads and replies on videos. */
public final class CommentRoutes implements Routes {
    private final CommentService comments;
    private final VideoService videos;
    private final ChannelService channels;
    private final AccountAdminService accounts;
    private final Authenticator auth;

    public CommentRoutes(CommentService comments, VideoService videos, ChannelService channels, AccountAdminService accounts,
                         Authenticator auth) {
        this.comments = comments;
        this.videos = videos;
        this.channels = channels;
        this.accounts = accounts;
        this.auth = auth;
    }

    record NewComment(String text, String parentId) {}

    record EditComment(String text) {}

    @Override
    public void register(Api app) {
        app.get("/api/v1/videos/{id}/comments", doc("A video's comment threads (cursor pages)"), this::threads);
        app.post("/api/v1/videos/{id}/comments", doc("Comment on a video, or reply to a comment", WRITE_LIMITED, IDEMPOTENT, SIGNED_IN).body(NewComment.class), ctx -> {
            String user = auth.requireUser(ctx);
            NewComment r = AuthRoutes.body(ctx, NewComment.class);
            Comment c = comments.add(ctx.pathParam("id"), user, r.text(), r.parentId());
            ctx.status(201).json(views(List.of(c), user, videos.visibleVideo(c.videoId(), user)).getFirst());
        });
        app.get("/api/v1/comments/{id}", doc("One comment"), ctx -> {
            String viewer = auth.optionalUser(ctx).orElse(null);
            Comment c = comments.comment(ctx.pathParam("id"), viewer);
            ctx.json(views(List.of(c), viewer, videos.visibleVideo(c.videoId(), viewer)).getFirst());
        });
        app.get("/api/v1/comments/{id}/replies", doc("The replies to a comment (cursor pages)"), this::replies);
        app.patch("/api/v1/comments/{id}", doc("Edit your comment", WRITE_LIMITED, IDEMPOTENT, SIGNED_IN).body(EditComment.class), ctx -> {
            String user = auth.requireUser(ctx);
            EditComment r = AuthRoutes.body(ctx, EditComment.class);
            Comment c = comments.edit(ctx.pathParam("id"), user, r.text());
            ctx.json(views(List.of(c), user, videos.visibleVideo(c.videoId(), user)).getFirst());
        });
        app.delete("/api/v1/comments/{id}", doc("Delete a comment (yours, or on your video, or as a moderator)", WRITE_LIMITED, IDEMPOTENT, SIGNED_IN), ctx -> {
            comments.delete(ctx.pathParam("id"), auth.requireUser(ctx));
            ctx.status(204);
        });
    }

    private void threads(Context ctx) {
        String viewer = auth.optionalUser(ctx).orElse(null);
        CommentSort sort = CommentSort.parse(ctx.queryParam("sort")).orElseThrow(() -> KinoraException.badRequest("invalid_sort",
                "sort must be \"newest\" or \"top\"."));
        int limit = Params.limit(ctx, 20, CommentService.MAX_PAGE);
        Optional<CommentRepository.Cursor> after = Params.cursor(ctx).map(CommentRoutes::cursor);
        Video video = videos.visibleVideo(ctx.pathParam("id"), viewer);
        List<Comment> rows = comments.threads(video.id(), viewer, sort, after, Page.fetchSize(limit));
        ctx.json(page(rows, limit, viewer, video));
    }

    private void replies(Context ctx) {
        String viewer = auth.optionalUser(ctx).orElse(null);
        int limit = Params.limit(ctx, 20, CommentService.MAX_PAGE);
        Optional<CommentRepository.Cursor> after = Params.cursor(ctx).map(CommentRoutes::cursor);
        Comment thread = comments.comment(ctx.pathParam("id"), viewer);
        List<Comment> rows = comments.replies(thread.id(), viewer, after, Page.fetchSize(limit));
        ctx.json(page(rows, limit, viewer, videos.visibleVideo(thread.videoId(), viewer)));
    }

    private static CommentRepository.Cursor cursor(String s) {
        Cursors.Fields f = Cursors.decode(s, 3);
        return new CommentRepository.Cursor(f.integer(0), f.instant(1), f.text(2));
    }

    private ListResponse<CommentView> page(List<Comment> rows, int limit, String viewer, Video video) {
        Page<Comment> page = Page.of(rows, limit, last -> Cursors.encode(last.replyCount(), last.createdAt(), last.id()));
        return new ListResponse<>(views(page.items(), viewer, video), page.nextCursorOrNull());
    }

    private List<CommentView> views(List<Comment> items, String viewer, Video video) {
        Set<String> people = new HashSet<>();
        for (Comment c : items) {
            people.add(c.authorId());
            if (c.replyToUserId() != null) people.add(c.replyToUserId());
        }
        Map<String, Channel> byId = channels.channels(people);
        boolean moderator = viewer != null && (video.isOwnedBy(viewer) || accounts.role(viewer).canModerate());
        return items.stream().map(c -> {
            boolean mine = c.authorId().equals(viewer);
            if (c.isDeleted()) {
                return new CommentView(c.id(), c.videoId(), c.parentId(), null, null, null, c.replyCount(), true, false, false,
                        c.createdAt(), null);
            }
            return new CommentView(c.id(), c.videoId(), c.parentId(), c.body(), ChannelSummary.of(byId.get(c.authorId())),
                    c.replyToUserId() == null ? null : ChannelSummary.of(byId.get(c.replyToUserId())), c.replyCount(), false,
                    mine, mine || moderator, c.createdAt(), c.editedAt());
        }).toList();
    }
}
