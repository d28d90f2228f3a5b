package org.kinora.server.playlists;

import static org.kinora.server.http.ApiRole.IDEMPOTENT;
import static org.kinora.server.http.ApiRole.SIGNED_IN;
import static org.kinora.server.http.ApiRole.WRITE_LIMITED;
import static org.kinora.server.http.Doc.doc;

import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import org.kinora.core.channel.ChannelService;
import org.kinora.core.common.Cursors;
import org.kinora.core.common.KinoraException;
import org.kinora.core.common.Page;
import org.kinora.core.playlist.Playlist;
import org.kinora.core.playlist.PlaylistRepository;
import org.kinora.core.playlist.PlaylistService;
import org.kinora.core.video.Privacy;
import org.kinora.server.auth.AuthRoutes;
import org.kinora.server.http.Api;
import org.kinora.server.http.Authenticator;
import org.kinora.server.http.ListResponse;
import org.kinora.server.http.Params;
import org.kinora.server.http.Routes;
import org.kinora.server.videos.VideoView;
import org.kinora.server.videos.VideoViews;

/** Playlists and Watch later ({@code /api/v1/playlists/watch-later} is the caller's). */
public final class PlaylistRoutes implements Routes {
    private final PlaylistService playlists;
    private final ChannelService channels;
    private final VideoViews views;
    private final Authenticator auth;

    public PlaylistRoutes(PlaylistService playlists, ChannelService channels, VideoViews views, Authenticator auth) {
        this.playlists = playlists;
        this.channels = channels;
        this.views = views;
        this.auth = auth;
    }

    record PlaylistRequest(String title, String description, String privacy) {}

    record ItemRequest(String videoId, Integer position) {}

    record MoveRequest(Integer position) {}

    record PlaylistView(String id, String ownerId, String kind, String title, String description, String privacy,
                        int itemCount, Instant createdAt, Instant updatedAt) {
        static PlaylistView of(Playlist p) {
            return new PlaylistView(p.id(), p.ownerId(), p.kind() == Playlist.Kind.WATCH_LATER ? "watch_later" : "regular",
                    p.title(), p.description(), p.privacy().wireName(), p.itemCount(), p.createdAt(), p.updatedAt());
        }
    }

    record ItemView(int position, VideoView video, Instant addedAt) {}

    record NextView(String playlistId, ItemView next) {}

    @Override
    public void register(Api app) {
        app.get("/api/v1/me/playlists", doc("Your playlists", SIGNED_IN), ctx -> ctx.json(new ListResponse<>(
                playlists.listOwn(auth.requireUser(ctx)).stream().map(PlaylistView::of).toList(), null)));
        app.get("/api/v1/channels/{ref}/playlists", doc("A channel's public playlists"), ctx -> {
            String owner = channels.channel(ctx.pathParam("ref")).id();
            ctx.json(new ListResponse<>(playlists.listPublic(owner).stream().map(PlaylistView::of).toList(), null));
        });
        app.post("/api/v1/playlists", doc("Create a playlist", WRITE_LIMITED, IDEMPOTENT, SIGNED_IN).body(PlaylistRequest.class), ctx -> {
            String user = auth.requireUser(ctx);
            PlaylistRequest r = AuthRoutes.body(ctx, PlaylistRequest.class);
            ctx.status(201).json(PlaylistView.of(playlists.create(user, r.title(), r.description(), privacy(r.privacy()))));
        });
        app.get("/api/v1/playlists/{ref}", doc("A playlist"), ctx -> ctx.json(PlaylistView.of(
                playlists.playlist(ctx.pathParam("ref"), auth.optionalUser(ctx).orElse(null)))));
        app.patch("/api/v1/playlists/{ref}", doc("Edit your playlist's title, description or privacy", WRITE_LIMITED, IDEMPOTENT, SIGNED_IN).body(PlaylistRequest.class), ctx -> {
            String user = auth.requireUser(ctx);
            PlaylistRequest r = AuthRoutes.body(ctx, PlaylistRequest.class);
            ctx.json(PlaylistView.of(playlists.update(ctx.pathParam("ref"), user, r.title(), r.description(), privacy(r.privacy()))));
        });
        app.delete("/api/v1/playlists/{ref}", doc("Delete your playlist", WRITE_LIMITED, IDEMPOTENT, SIGNED_IN), ctx -> {
            playlists.delete(ctx.pathParam("ref"), auth.requireUser(ctx));
            ctx.status(204);
        });
        app.get("/api/v1/playlists/{ref}/items", doc("A playlist's videos in order (cursor pages)"), this::items);
        app.post("/api/v1/playlists/{ref}/items", doc("Add a video to your playlist (at the end, or at a position)", WRITE_LIMITED, IDEMPOTENT, SIGNED_IN).body(ItemRequest.class), ctx -> {
            String user = auth.requireUser(ctx);
            ItemRequest r = AuthRoutes.body(ctx, ItemRequest.class);
            if (r.videoId() == null) throw KinoraException.badRequest("missing_video_id", "Send {\"video_id\": \"...\"}.");
            ctx.json(PlaylistView.of(playlists.add(ctx.pathParam("ref"), user, r.videoId(), r.position())));
        });
        app.patch("/api/v1/playlists/{ref}/items/{videoId}", doc("Move a video within your playlist", WRITE_LIMITED, IDEMPOTENT, SIGNED_IN).body(MoveRequest.class), ctx -> {
            String user = auth.requireUser(ctx);
            MoveRequest r = AuthRoutes.body(ctx, MoveRequest.class);
            if (r.position() == null) throw KinoraException.badRequest("missing_position", "Send {\"position\": n} (0-based).");
            ctx.json(PlaylistView.of(playlists.move(ctx.pathParam("ref"), user, ctx.pathParam("videoId"), r.position())));
        });
        app.delete("/api/v1/playlists/{ref}/items/{videoId}", doc("Remove a video from your playlist", WRITE_LIMITED, IDEMPOTENT, SIGNED_IN), ctx ->
                ctx.json(PlaylistView.of(playlists.remove(ctx.pathParam("ref"), auth.requireUser(ctx), ctx.pathParam("videoId")))));
        app.get("/api/v1/playlists/{ref}/next", doc("The item that plays after the given video"), ctx -> {
            String viewer = auth.optionalUser(ctx).orElse(null);
            Playlist p = playlists.playlist(ctx.pathParam("ref"), viewer);
            var next = playlists.next(p.id(), viewer, ctx.queryParam("after"));
            ctx.json(new NextView(p.id(), next.map(i -> item(ctx, i, viewer)).orElse(null)));
        });
    }

    private void items(Context ctx) {
        String viewer = auth.optionalUser(ctx).orElse(null);
        Playlist p = playlists.playlist(ctx.pathParam("ref"), viewer);
        int limit = Params.limit(ctx, 50, 200);
        int from = Params.cursor(ctx).map(s -> Cursors.decode(s, 1).integer(0)).orElse(0);
        Page<PlaylistRepository.Item> page = Page.of(playlists.items(p, viewer, from, Page.fetchSize(limit)), limit,
                last -> Cursors.encode(last.position() + 1));
        List<PlaylistRepository.Item> items = page.items();
        String next = page.nextCursorOrNull();
        List<VideoView> videos = views.views(ctx, items.stream().map(PlaylistRepository.Item::video).toList(), viewer);
        ctx.json(new ListResponse<>(java.util.stream.IntStream.range(0, items.size())
                .mapToObj(i -> new ItemView(items.get(i).position(), videos.get(i), items.get(i).addedAt())).toList(), next));
    }

    private ItemView item(Context ctx, PlaylistRepository.Item i, String viewer) {
        return new ItemView(i.position(), views.views(ctx, List.of(i.video()), viewer).getFirst(), i.addedAt());
    }

    private static Privacy privacy(String s) {
        return s == null ? null : Privacy.parse(s).orElseThrow(() -> KinoraException.badRequest("invalid_privacy",
                "privacy must be public, unlisted or private."));
    }
}
