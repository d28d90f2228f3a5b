package org.kinora.server.channels;

import static org.kinora.server.http.ApiRole.IDEMPOTENT;
import static org.kinora.server.http.ApiRole.SIGNED_IN;
import static org.kinora.server.http.ApiRole.WRITE_LIMITED;
import static org.kinora.server.http.Doc.doc;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import org.kinora.core.channel.Channel;
import org.kinora.core.channel.ChannelImage;
import org.kinora.core.channel.ChannelService;
import org.kinora.core.channel.Subscription;
import org.kinora.core.channel.SubscriptionService;
import org.kinora.core.moderation.ChannelBlocks;
import org.kinora.core.common.Cursors;
import org.kinora.core.common.ErrorKind;
import org.kinora.core.common.KinoraException;
import org.kinora.core.common.Page;
import org.kinora.core.video.Video;
import org.kinora.core.video.VideoRepository;
import org.kinora.core.video.VideoService;
import org.kinora.server.auth.AuthRoutes;
import org.kinora.server.http.Api;
import org.kinora.server.http.Authenticator;
import org.kinora.server.http.ListResponse;
import org.kinora.server.http.Params;
import org.kinora.server.http.Routes;
import org.kinora.server.videos.VideoView;
import org.kinora.server.videos.VideoViews;

/** Channels, their pictures and videos; subscribing; the subscriptions list and feed. */
public final class ChannelRoutes implements Routes {
    private final ChannelService channels;
    private final SubscriptionService subscriptions;
    private final VideoService videos;
    private final VideoViews views;
    private final Authenticator auth;
    private final ChannelBlocks blocks;

    public ChannelRoutes(ChannelService channels, SubscriptionService subscriptions, VideoService videos, VideoViews views,
                         Authenticator auth, ChannelBlocks blocks) {
        this.blocks = blocks;
        this.channels = channels;
        this.subscriptions = subscriptions;
        this.videos = videos;
        this.views = views;
        this.auth = auth;
    }

    record PatchRequest(String handle, String displayName, String description) {}

    record SubscriptionState(String channelId, boolean subscribed, long subscriberCount) {}

    @Override
    public void register(Api app) {
        app.get("/api/v1/channels/{ref}", doc("A channel by id or @handle"), ctx -> {
            String viewer = auth.optionalUser(ctx).orElse(null);
            ctx.json(ChannelView.of(channels.details(ctx.pathParam("ref"), viewer)));
        });
        app.patch("/api/v1/channels/{ref}", doc("Edit your channel's handle, name and description", WRITE_LIMITED, IDEMPOTENT, SIGNED_IN).body(PatchRequest.class), ctx -> {
            String user = auth.requireUser(ctx);
            PatchRequest r = AuthRoutes.body(ctx, PatchRequest.class);
            Channel c = channels.update(ctx.pathParam("ref"), user, r.handle(), r.displayName(), r.description());
            ctx.json(ChannelView.of(channels.details(c.id(), user)));
        });
        app.put("/api/v1/channels/{ref}/avatar", doc("Replace your channel's avatar (the image is the body)", WRITE_LIMITED, SIGNED_IN), ctx -> image(ctx, ChannelImage.AVATAR));
        app.put("/api/v1/channels/{ref}/banner", doc("Replace your channel's banner (the image is the body)", WRITE_LIMITED, SIGNED_IN), ctx -> image(ctx, ChannelImage.BANNER));
        app.get("/api/v1/channels/{ref}/videos", doc("A channel's videos, newest first (cursor pages)"), this::channelVideos);
        app.put("/api/v1/channels/{ref}/subscription", doc("Subscribe to a channel", WRITE_LIMITED, IDEMPOTENT, SIGNED_IN), ctx -> {
            Channel c = subscriptions.subscribe(auth.requireUser(ctx), ctx.pathParam("ref"));
            ctx.json(new SubscriptionState(c.id(), true, c.subscriberCount()));
        });
        app.delete("/api/v1/channels/{ref}/subscription", doc("Unsubscribe from a channel", WRITE_LIMITED, IDEMPOTENT, SIGNED_IN), ctx -> {
            Channel c = subscriptions.unsubscribe(auth.requireUser(ctx), ctx.pathParam("ref"));
            ctx.json(new SubscriptionState(c.id(), false, c.subscriberCount()));
        });
        app.get("/api/v1/me/subscriptions", doc("The channels you subscribe to", SIGNED_IN), this::subscriptionList);
        app.get("/api/v1/me/feed", doc("New videos of the channels you subscribe to (cursor pages)", SIGNED_IN), this::feed);
    }

    /** The picture is the raw request body (Content-Type image/jpeg, image/png, ...), at most 8 MiB. */
    private void image(Context ctx, ChannelImage kind) throws IOException {
        String user = auth.requireUser(ctx);
        long declared = ctx.req().getContentLengthLong();
        if (declared > ChannelService.MAX_IMAGE_BYTES) {
            throw new KinoraException(ErrorKind.PAYLOAD_TOO_LARGE, "image_too_large",
                    "The picture is " + declared + " bytes; the largest accepted is " + ChannelService.MAX_IMAGE_BYTES + " bytes.",
                    java.util.Map.of("max_size", ChannelService.MAX_IMAGE_BYTES));
        }
        byte[] bytes;
        try (InputStream in = ctx.req().getInputStream()) {
            bytes = in.readNBytes(ChannelService.MAX_IMAGE_BYTES + 1);
        }
        Channel c = channels.setImage(ctx.pathParam("ref"), user, kind, bytes);
        ctx.json(ChannelView.of(channels.details(c.id(), user)));
    }

    private void channelVideos(Context ctx) {
        String viewer = auth.optionalUser(ctx).orElse(null);
        Channel c = channels.channel(ctx.pathParam("ref"));
        int limit = Params.limit(ctx, 24, VideoService.MAX_PAGE);
        List<Video> rows = videos.listChannel(c.id(), Params.cursor(ctx).map(ChannelRoutes::videoCursor), Page.fetchSize(limit));
        ctx.json(videoPage(ctx, rows, limit, viewer));
    }

    private void feed(Context ctx) {
        String user = auth.requireUser(ctx);
        int limit = Params.limit(ctx, 24, VideoService.MAX_PAGE);
        List<Video> rows = subscriptions.feed(user, Params.cursor(ctx).map(ChannelRoutes::videoCursor), Page.fetchSize(limit));
        ctx.json(videoPage(ctx, rows, limit, user));
    }

    private ListResponse<VideoView> videoPage(Context ctx, List<Video> rows, int limit, String viewer) {
        Page<Video> page = Page.of(rows, limit, last -> Cursors.encode(last.publishedAt(), last.id()));
        return new ListResponse<>(views.views(ctx, blocks.without(viewer, page.items()), viewer), page.nextCursorOrNull());
    }

    private void subscriptionList(Context ctx) {
        String user = auth.requireUser(ctx);
        int limit = Params.limit(ctx, 50, 100);
        Optional<Subscription.Cursor> after = Params.cursor(ctx).map(s -> {
            Cursors.Fields f = Cursors.decode(s, 2);
            return new Subscription.Cursor(f.instant(0), f.text(1));
        });
        Page<Subscription> page = Page.of(subscriptions.subscriptions(user, after, Page.fetchSize(limit)), limit,
                last -> Cursors.encode(last.subscribedAt(), last.channel().id()));
        ctx.json(new ListResponse<>(page.items().stream().map(s -> ChannelView.brief(s.channel(), true)).toList(),
                page.nextCursorOrNull()));
    }

    static VideoRepository.Cursor videoCursor(String s) {
        Cursors.Fields f = Cursors.decode(s, 2);
        return new VideoRepository.Cursor(f.instant(0), f.text(1));
    }
}
