package org.kinora.server.videos;

import static org.kinora.server.http.ApiRole.IDEMPOTENT;
import static org.kinora.server.http.ApiRole.SIGNED_IN;
import static org.kinora.server.http.ApiRole.WRITE_LIMITED;
import static org.kinora.server.http.Doc.doc;

import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.kinora.core.moderation.ChannelBlocks;
import org.kinora.core.common.Cursors;
import org.kinora.core.common.KinoraException;
import org.kinora.core.common.LiveBus;
import org.kinora.core.common.Page;
import org.kinora.core.video.Privacy;
import org.kinora.core.video.Video;
import org.kinora.core.video.VideoChanged;
import org.kinora.core.video.VideoRepository;
import org.kinora.core.video.VideoService;
import org.kinora.core.video.VideoStatus;
import org.kinora.server.auth.AuthRoutes;
import org.kinora.server.http.Api;
import org.kinora.server.http.Authenticator;
import org.kinora.server.http.Routes;

/** Video metadata, listing, owner edits and deletion, and live processing events. */
public final class VideoRoutes implements Routes {

    private static final Duration EVENT_STREAM_MAX = Duration.ofHours(2);

    private final VideoService videos;
    private final VideoViews views;
    private final Authenticator auth;
    private final LiveBus.Topic<VideoChanged> changes;
    private final Duration statusPoll;
    private final ChannelBlocks blocks;

    /**
     * @param bus        a change announced there (from this or, with Redis, any process, e.g. a
     *                   worker's progress) wakes the status stream at once
     * @param statusPoll how often the status stream re-reads the database anyway: for changes the
     *                   bus cannot carry (another process, in-process bus) or missed
     */
    public VideoRoutes(VideoService videos, VideoViews views, Authenticator auth, LiveBus bus, Duration statusPoll, ChannelBlocks blocks) {
        this.blocks = blocks;
        this.videos = videos;
        this.views = views;
        this.auth = auth;
        this.changes = VideoChanged.topic(bus);
        this.statusPoll = statusPoll;
    }

    record PatchRequest(String title, String description, String privacy, List<String> tags) {}

    record ListResponse(List<VideoView> items, String nextCursor) {}

    record StatusEvent(String id, String status, int progress, String failureReason, List<VideoView.RenditionView> renditions) {}

    @Override
    public void register(Api app) {
        app.get("/api/v1/videos", doc("Public videos, newest first (cursor pages)"), this::list);
        app.get("/api/v1/users/me/videos", doc("Your videos, in every state and privacy", SIGNED_IN), ctx -> {
            String user = auth.requireUser(ctx);
            ctx.header("Cache-Control", "no-store");
            ctx.json(new ListResponse(views.views(ctx, videos.listOwn(user), user), null));
        });
        app.get("/api/v1/videos/{id}", doc("A video: metadata, status, renditions and playback URLs"), ctx -> {
            String viewer = auth.optionalUser(ctx).orElse(null);
            Video video = videos.visibleVideo(ctx.pathParam("id"), viewer);
            ctx.header("Cache-Control", "no-store");
            ctx.json(views.view(ctx, video, viewer));
        });
        app.patch("/api/v1/videos/{id}", doc("Edit your video's title, description, privacy or tags", WRITE_LIMITED, IDEMPOTENT, SIGNED_IN).body(PatchRequest.class), ctx -> {
            String user = auth.requireUser(ctx);
            PatchRequest r = AuthRoutes.body(ctx, PatchRequest.class);
            Privacy privacy = r.privacy() == null ? null : Privacy.parse(r.privacy())
                    .orElseThrow(() -> KinoraException.badRequest("invalid_privacy", "privacy must be public, unlisted or private."));
            Video updated = videos.update(ctx.pathParam("id"), user, r.title(), r.description(), privacy, r.tags());
            ctx.json(views.view(ctx, updated, user));
        });
        app.delete("/api/v1/videos/{id}", doc("Delete your video and its media", WRITE_LIMITED, IDEMPOTENT, SIGNED_IN), ctx -> {
            videos.delete(ctx.pathParam("id"), auth.requireUser(ctx));
            ctx.status(204);
        });
        // Settled before the stream's 200 (StreamGate runs after path filters): a private or missing video is a 404. The path
        // is shared with POST play events, which are no stream.
        app.before("/api/v1/videos/{id}/events", ctx -> {
            if (ctx.method() == io.javalin.http.HandlerType.GET) videos.visibleVideo(ctx.pathParam("id"), auth.optionalUser(ctx).orElse(null));
        });
        app.sse("/api/v1/videos/{id}/events", doc("A video's processing status as it changes (server-sent events)"), this::events);
    }

    private void list(Context ctx) {
        int limit = parseLimit(ctx.queryParam("limit"));
        Optional<VideoRepository.Cursor> after = Optional.ofNullable(ctx.queryParam("cursor")).filter(s -> !s.isBlank())
                .map(VideoRoutes::decodeCursor);
        Page<Video> page = Page.of(videos.listPublic(after, Page.fetchSize(limit)), limit, VideoRoutes::encodeCursor);
        String viewer = auth.optionalUser(ctx).orElse(null);
        ctx.json(new ListResponse(views.views(ctx, blocks.without(viewer, page.items()), null), page.nextCursorOrNull()));
    }

    /** Sends the video's status and progress whenever they change, until it is ready or failed. */
    private void events(SseClient client) {
        Context ctx = client.ctx();
        String viewer = auth.optionalUser(ctx).orElse(null);
        String id = ctx.pathParam("id");
        videos.visibleVideo(id, viewer); // checked before the stream opened (the before filter); still there?
        org.kinora.server.http.StreamGate.onEvict(ctx, client::close);
        client.keepAlive();
        StatusEvent last = null;
        Instant until = Instant.now().plus(EVENT_STREAM_MAX);
        Semaphore changed = new Semaphore(0);
        try (LiveBus.Subscription ignored = changes.subscribe(c -> {
            if (c.id().equals(id)) changed.release();
        })) {
            while (!client.terminated() && Instant.now().isBefore(until)) {
                Video v = videos.visibleVideo(id, viewer);
                StatusEvent now = new StatusEvent(v.id(), v.status().wireName(), v.progress(), v.failureReason(),
                        VideoView.renditions(videos.renditions(id)));
                if (!now.equals(last)) {
                    client.sendEvent("status", now);
                    last = now;
                }
                if (v.status() == VideoStatus.FAILED || (v.status() == VideoStatus.READY && v.progress() >= 100)) break;
                if (changed.tryAcquire(statusPoll.toMillis(), TimeUnit.MILLISECONDS)) changed.drainPermits();
            }
        } catch (KinoraException gone) {
            client.sendEvent("status", Map.of("id", id, "status", "deleted"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            org.kinora.server.http.StreamGate.release(ctx);
            client.close();
        }
    }

    private static int parseLimit(String s) {
        if (s == null || s.isBlank()) return 24;
        try {
            int n = Integer.parseInt(s);
            if (n < 1 || n > VideoService.MAX_PAGE) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw KinoraException.badRequest("invalid_limit", "limit must be between 1 and " + VideoService.MAX_PAGE + ".");
        }
    }

    /** Newest first by publication; the id breaks ties. */
    static String encodeCursor(Video v) {
        return Cursors.encode(v.publishedAt(), v.id());
    }

    static VideoRepository.Cursor decodeCursor(String cursor) {
        Cursors.Fields f = Cursors.decode(cursor, 2);
        return new VideoRepository.Cursor(f.instant(0), f.text(1));
    }
}
