package org.kinora.server.live;

import static org.kinora.server.http.ApiRole.IDEMPOTENT;
import static org.kinora.server.http.ApiRole.SIGNED_IN;
import static org.kinora.server.http.ApiRole.WRITE_LIMITED;
import static org.kinora.server.http.Doc.doc;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kinora.core.common.KinoraException;
import org.kinora.core.live.LiveChannel;
import org.kinora.core.live.LiveService;
import org.kinora.core.live.LiveSession;
import org.kinora.media.live.LiveRendition;
import org.kinora.media.live.LiveRung;
import org.kinora.media.live.LlHlsPlaylist;
import org.kinora.server.auth.AuthRoutes;
import org.kinora.server.http.Api;
import org.kinora.server.http.Authenticator;
import org.kinora.server.http.ListResponse;
import org.kinora.server.http.Routes;

/**
 * The live API (stream key, settings, lives) and the LL-HLS origin of lives:
 * {@code /live/{id}/master.m3u8}, {@code /live/{id}/{rendition}/index.m3u8} with blocking reload
 * ({@code _HLS_msn}, {@code _HLS_part}), the init segment, segments {@code s{msn}.m4s} and parts
 * {@code p{msn}.{part}.m4s}. Requests for the next part (the preload hint) wait until it exists.
 * The edge is in memory on the ingest node; another node forwards to it ({@link EdgeProxy}).
 */
final class LiveRoutes implements Routes {
    private static final Pattern PART = Pattern.compile("p(\\d{1,9})\\.(\\d{1,4})\\.m4s");
    private static final Pattern SEGMENT = Pattern.compile("s(\\d{1,9})\\.m4s");
    private static final Pattern RUNG = Pattern.compile("[a-z0-9]{1,16}");
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";

    private final LiveService lives;
    private final Ingest ingest;
    private final Authenticator auth;
    private final LiveFeature.Urls urls;
    private final double partTarget;
    private final long blockMillis;
    private final EdgeProxy proxy;
    private final LiveThumbnails thumbnails;
    private final org.kinora.core.channel.ChannelService channels;

    LiveRoutes(LiveService lives, Ingest ingest, Authenticator auth, LiveFeature.Urls urls, double partTarget, double segmentTarget,
               EdgeProxy proxy, LiveThumbnails thumbnails, org.kinora.core.channel.ChannelService channels) {
        this.thumbnails = thumbnails;
        this.channels = channels;
        this.lives = lives;
        this.ingest = ingest;
        this.auth = auth;
        this.urls = urls;
        this.partTarget = partTarget;
        // RFC 8216bis 6.2.5.2: a blocked reload is answered within three target durations (503 otherwise).
        this.blockMillis = Math.round(segmentTarget * 3000);
        this.proxy = proxy;
    }

    record SettingsRequest(String title, Boolean replays) {}

    record Health(double bitrateKbps, double frameRate, double keyframeIntervalSeconds, List<String> droppedRenditions,
                  String warning) {}

    record SessionView(String id, String ownerId, String title, String state, Instant startedAt, Instant endedAt,
                       String replayVideoId, String hlsUrl, String pageUrl, int viewers, boolean publisherConnected,
                       String description, Instant scheduledFor, String thumbnailUrl) {}

    record ScheduleRequest(String title, String description, String startsAt) {}

    /** A channel's permanent live page: the live now, else the next upcoming ones, and the last replays. */
    record ChannelLivePage(String channelId, String handle, String displayName, SessionView live, List<SessionView> upcoming,
                           List<SessionView> recent) {}

    record ChannelLive(String serverUrl, String streamKey, String title, boolean replays, SessionView live, Health health, String srtUrl,
                       boolean srtAvailable) {}

    @Override
    public void register(Api app) {
        app.get("/api/v1/me/live", doc("Your stream key, live settings and current live with its ingest health", SIGNED_IN),
                ctx -> ctx.json(channelLive(ctx, lives.channel(auth.requireUser(ctx)))));
        app.post("/api/v1/me/live/key", doc("Regenerate your stream key (the old one stops working; a publisher using it is cut off)",
                WRITE_LIMITED, IDEMPOTENT, SIGNED_IN), ctx -> {
            String user = auth.requireUser(ctx);
            LiveChannel c = lives.regenerateKey(user);
            ingest.revoke(user);
            ctx.json(channelLive(ctx, c));
        });
        app.patch("/api/v1/me/live", doc("Change the title of your next live and whether lives become replays", WRITE_LIMITED, IDEMPOTENT,
                SIGNED_IN).body(SettingsRequest.class), ctx -> {
            String user = auth.requireUser(ctx);
            SettingsRequest r = AuthRoutes.body(ctx, SettingsRequest.class);
            ctx.json(channelLive(ctx, lives.updateSettings(user, r.title(), r.replays())));
        });
        app.put("/api/v1/me/live/srt", doc("Turn SRT ingest on for your channel: a port of its own, your stream key as passphrase",
                WRITE_LIMITED, IDEMPOTENT, SIGNED_IN), ctx -> {
            String user = auth.requireUser(ctx);
            if (!urls.live().srt()) throw KinoraException.notFound("SRT ingest on this server (live.srt-ports is not set)");
            ctx.json(channelLive(ctx, lives.enableSrt(user, urls.live().srtLowestPort(), urls.live().srtHighestPort())));
        });
        app.delete("/api/v1/me/live/srt", doc("Turn SRT ingest off for your channel", WRITE_LIMITED, IDEMPOTENT, SIGNED_IN),
                ctx -> ctx.json(channelLive(ctx, lives.disableSrt(auth.requireUser(ctx)))));
        app.post("/api/v1/me/lives", doc("Schedule a live ahead: title, description, starts_at (an upcoming page with a countdown)",
                WRITE_LIMITED, IDEMPOTENT, SIGNED_IN).body(ScheduleRequest.class), ctx -> {
            String user = auth.requireUser(ctx);
            ScheduleRequest r = AuthRoutes.body(ctx, ScheduleRequest.class);
            Instant at;
            try {
                at = r.startsAt() == null ? null : Instant.parse(r.startsAt());
            } catch (java.time.format.DateTimeParseException e) {
                throw KinoraException.badRequest("invalid_starts_at", "starts_at must be an ISO-8601 time such as 2026-12-01T18:00:00Z.");
            }
            ctx.status(201).json(view(ctx, lives.schedule(user, r.title(), r.description(), at)));
        });
        app.get("/api/v1/me/lives", doc("Your upcoming lives, soonest first", SIGNED_IN), ctx -> ctx.json(new ListResponse<>(
                lives.upcoming(auth.requireUser(ctx)).stream().map(s -> view(ctx, s)).toList(), null)));
        app.delete("/api/v1/me/lives/{id}", doc("Cancel one of your upcoming lives", WRITE_LIMITED, IDEMPOTENT, SIGNED_IN), ctx -> {
            lives.cancel(auth.requireUser(ctx), ctx.pathParam("id"));
            ctx.status(204);
        });
        app.put("/api/v1/me/lives/{id}/thumbnail", doc("Set a live's thumbnail (the image is the body; before or during the live)",
                WRITE_LIMITED, SIGNED_IN), ctx -> {
            String user = auth.requireUser(ctx);
            ctx.json(view(ctx, lives.setThumbnail(user, ctx.pathParam("id"), thumbnails.jpeg(ctx))));
        });
        app.get("/images/lives/{id}/{file}", doc("A live's thumbnail image"), thumbnails::serve);
        app.get("/api/v1/channels/{ref}/live", doc("A channel's permanent live page: its live now, upcoming lives, last replays"), ctx -> {
            org.kinora.core.channel.Channel c = channels.channel(ctx.pathParam("ref"));
            SessionView now = lives.current(c.id()).map(s -> view(ctx, s)).orElse(null);
            ctx.json(new ChannelLivePage(c.id(), c.handle(), c.displayName(), now,
                    lives.upcoming(c.id()).stream().map(s -> view(ctx, s)).toList(),
                    lives.ended(c.id(), 5).stream().map(s -> view(ctx, s)).toList()));
        });
        app.get("/api/v1/lives", doc("Channels live now"), ctx -> ctx.json(new ListResponse<>(
                lives.live(50).stream().map(s -> view(ctx, s)).toList(), null)));
        app.get("/api/v1/lives/{id}", doc("A live: state, playlist, viewers, its replay once ended"), ctx -> ctx.json(remoteView(ctx, session(ctx))));

        registerEdge(app);
    }

    /** The live edge alone (what API nodes forward to): all a {@code kinora live} process serves. */
    void registerEdge(Api app) {
        app.get("/live/{id}/status.json", doc("What the node holding a live knows of it now: viewers, publisher connected (for the other nodes)"),
                ctx -> {
                    Optional<Broadcast> b = ingest.broadcast(ctx.pathParam("id"));
                    if (b.isEmpty()) throw KinoraException.notFound("Live on this node");
                    boolean connected;
                    synchronized (b.get()) {
                        connected = b.get().current != null;
                    }
                    ctx.header("Cache-Control", "no-cache");
                    ctx.json(java.util.Map.of("viewers", b.get().viewerCount(), "publisher_connected", connected));
                });
        app.get("/live/{id}/master.m3u8", doc("A live's multivariant playlist (LL-HLS)"), this::master);
        app.get("/live/{id}/{rung}/index.m3u8", doc("A live rendition's media playlist; _HLS_msn/_HLS_part block until that part exists"),
                this::mediaPlaylist);
        app.get("/live/{id}/{rung}/{file}", doc("A live rendition's init segment, segment or part"), this::media);
    }

    private LiveSession session(Context ctx) {
        return lives.session(ctx.pathParam("id")).orElseThrow(() -> KinoraException.notFound("Live"));
    }

    private ChannelLive channelLive(Context ctx, LiveChannel c) {
        Optional<LiveSession> current = lives.current(c.ownerId());
        Health health = ingest.ofOwner(c.ownerId()).map(LiveRoutes::health).orElse(null);
        return new ChannelLive(urls.rtmp(ctx), c.streamKey(), c.title(), c.replays(), current.map(s -> view(ctx, s)).orElse(null), health,
                urls.srt(ctx, c), urls.live().srt());
    }

    static Health health(Broadcast b) {
        Broadcast.Health h = b.health;
        double gop = h.keyframeIntervalSeconds;
        String warning = null;
        if (gop > 4.05) {
            warning = "Your encoder sends a keyframe every " + String.format(java.util.Locale.ROOT, "%.1f", gop)
                    + " s; set the keyframe interval to 1 or 2 s for low latency.";
        }
        List<String> dropped = b.encoder == null ? List.of() : b.encoder.droppedRungs();
        return new Health(Math.round(h.kbps * 10) / 10.0, Math.round(h.fps * 10) / 10.0, gop, dropped, warning);
    }

    private SessionView view(Context ctx, LiveSession s) {
        Optional<Broadcast> b = ingest.broadcast(s.id());
        String replay = s.replayVideoId() != null ? s.replayVideoId() : b.map(x -> {
            synchronized (x) {
                return x.replayVideoId;
            }
        }).orElse(null);
        boolean connected = b.map(x -> {
            synchronized (x) {
                return x.current != null;
            }
        }).orElse(false);
        String state = b.map(x -> {
            synchronized (x) {
                return x.finished;
            }
        }).orElse(!s.isLive()) ? "ended" : "live";
        if (s.isUpcoming()) state = "upcoming";
        return new SessionView(s.id(), s.ownerId(), s.title(), state, s.startedAt(), s.endedAt(), replay,
                "/live/" + s.id() + "/master.m3u8", "/live/" + s.id(), b.map(Broadcast::viewerCount).orElse(0), connected,
                s.description() == null ? "" : s.description(), s.scheduledFor(), LiveThumbnails.url(s));
    }

    /**
     * The view of one live; on a node that does not hold it, the viewers and whether the publisher
     * is connected come from the node that does (those figures live in its memory).
     */
    private SessionView remoteView(Context ctx, LiveSession s) {
        SessionView v = view(ctx, s);
        if (!s.isLive() || ingest.broadcast(s.id()).isPresent()) return v;
        return proxy.status(s.ingestUrl(), s.id()).map(st -> new SessionView(v.id(), v.ownerId(), v.title(), v.state(), v.startedAt(),
                v.endedAt(), v.replayVideoId(), v.hlsUrl(), v.pageUrl(), st.path("viewers").asInt(0), st.path("publisher_connected").asBoolean(false),
                v.description(), v.scheduledFor(), v.thumbnailUrl())).orElse(v);
    }

    /** The broadcast held here, or the request forwarded to the node that holds it (true when answered). */
    private Optional<Broadcast> local(Context ctx) throws Exception {
        String id = ctx.pathParam("id");
        Optional<Broadcast> b = ingest.broadcast(id);
        if (b.isPresent()) return b;
        Optional<LiveSession> s = lives.session(id);
        if (s.isEmpty()) throw KinoraException.notFound("Live");
        if (s.get().isLive() && proxy.forward(ctx, s.get().ingestUrl(), viewerKey(ctx))) return Optional.empty();
        if (s.get().isUpcoming()) {
            ctx.header("Retry-After", "5");
            throw new KinoraException(org.kinora.core.common.ErrorKind.UNAVAILABLE, "live_not_started",
                    "This live has not started yet; it is scheduled for " + s.get().scheduledFor() + ".");
        }
        throw new KinoraException(org.kinora.core.common.ErrorKind.GONE, "live_ended", "This live has ended; its replay is a video of the channel.");
    }

    private void master(Context ctx) throws Exception {
        Optional<Broadcast> found = local(ctx);
        if (found.isEmpty()) return;
        Broadcast b = found.get();
        // The ladder is fixed at the publisher's first video tag, and a rendition is playable at its first part.
        long deadline = System.currentTimeMillis() + 10_000;
        List<LiveRung> rungs;
        List<LiveRendition> renditions;
        while (true) {
            synchronized (b) {
                rungs = b.rungs;
                renditions = b.renditions;
            }
            if (rungs != null && renditions.stream().allMatch(r -> r.snapshot().segments().size() > 0 || r.ended())) break;
            if (System.currentTimeMillis() > deadline) {
                ctx.header("Retry-After", "2");
                throw new KinoraException(org.kinora.core.common.ErrorKind.UNAVAILABLE, "live_starting",
                        "The live has not produced video yet; retry in a moment.");
            }
            Thread.sleep(100);
        }
        b.sawViewer(viewerKey(ctx));
        StringBuilder m = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:9\n#EXT-X-INDEPENDENT-SEGMENTS\n");
        for (LiveRung r : rungs) {
            m.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(r.bandwidth()).append(",RESOLUTION=").append(r.width()).append('x').append(r.height());
            if (r.codecs() != null) m.append(",CODECS=\"").append(r.codecs()).append(",mp4a.40.2\"");
            m.append('\n').append(org.kinora.core.blob.BlobKeys.rungPlaylistPath(r.name())).append('\n');
        }
        playlist(ctx, m.toString());
    }

    private void mediaPlaylist(Context ctx) throws Exception {
        Optional<Broadcast> found = local(ctx);
        if (found.isEmpty()) return;
        LiveRendition r = rendition(found.get(), ctx.pathParam("rung"));
        Integer msn = intParam(ctx, "_HLS_msn");
        Integer part = intParam(ctx, "_HLS_part");
        String skipParam = ctx.queryParam("_HLS_skip");
        if (skipParam != null && !skipParam.equals("YES") && !skipParam.equals("v2")) {
            throw KinoraException.badRequest("invalid_hls_skip", "_HLS_skip is YES or v2.");
        }
        if (part != null && msn == null) throw KinoraException.badRequest("invalid_blocking_request", "_HLS_part needs _HLS_msn.");
        if (msn != null) {
            // RFC 8216bis 6.2.5.2: a request more than two segments ahead of the live edge is a 400.
            if (msn > r.nextMsn() + 1) {
                throw KinoraException.badRequest("msn_too_far", "_HLS_msn " + msn + " is more than two segments ahead of the live edge.");
            }
            if (!r.await(msn, part == null ? -1 : part, blockMillis)) {
                throw new KinoraException(org.kinora.core.common.ErrorKind.UNAVAILABLE, "live_stalled",
                        "The live produced nothing for " + blockMillis / 1000 + " s; the publisher may have dropped.");
            }
        }
        found.get().sawViewer(viewerKey(ctx));
        String id = ctx.pathParam("id");
        playlist(ctx, LlHlsPlaylist.render(r.snapshot(), partTarget, new LlHlsPlaylist.Names() {
            @Override
            public String init() { return org.kinora.core.blob.BlobKeys.INIT_SEGMENT; }

            @Override
            public String segment(int n) { return "s" + n + ".m4s"; }

            @Override
            public String part(int n, int i) { return "p" + n + "." + i + ".m4s"; }
        }, skipParam != null));
    }

    private void media(Context ctx) throws Exception {
        Optional<Broadcast> found = local(ctx);
        if (found.isEmpty()) return;
        LiveRendition r = rendition(found.get(), ctx.pathParam("rung"));
        String file = ctx.pathParam("file");
        byte[] body;
        if (file.equals(org.kinora.core.blob.BlobKeys.INIT_SEGMENT)) {
            long deadline = System.currentTimeMillis() + blockMillis;
            while (r.initSegment().isEmpty() && System.currentTimeMillis() < deadline) Thread.sleep(50);
            body = r.initSegment().orElseThrow(() -> KinoraException.notFound("Init segment"));
        } else {
            Matcher p = PART.matcher(file);
            Matcher s = SEGMENT.matcher(file);
            if (p.matches()) {
                int msn = Integer.parseInt(p.group(1));
                int index = Integer.parseInt(p.group(2));
                // A preload-hinted part is asked for before it exists: hold the request until it does.
                if (r.part(msn, index).isEmpty() && msn <= r.nextMsn()) r.await(msn, index, blockMillis);
                body = r.part(msn, index).map(LiveRendition.Part::bytes).orElseThrow(() -> KinoraException.notFound("Part"));
            } else if (s.matches()) {
                int msn = Integer.parseInt(s.group(1));
                if (r.segmentBytes(msn).isEmpty() && msn < r.nextMsn()) r.await(msn, -1, blockMillis);
                Optional<byte[]> bytes = r.segmentBytes(msn);
                // Older than the in-memory edge: from the DVR window in the blob store.
                if (bytes.isEmpty() && r.archived(msn).isPresent()) bytes = found.get().archivedSegment(r.name(), msn);
                body = bytes.orElseThrow(() -> KinoraException.notFound("Segment"));
            } else {
                throw KinoraException.notFound("Live file");
            }
        }
        ctx.header("Cache-Control", IMMUTABLE);
        ctx.contentType("video/mp4");
        ctx.result(body);
    }

    private static LiveRendition rendition(Broadcast b, String name) {
        if (!RUNG.matcher(name).matches()) throw KinoraException.notFound("Rendition");
        return b.rendition(name).orElseThrow(() -> KinoraException.notFound("Rendition"));
    }

    private static Integer intParam(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null) return null;
        if (!v.matches("\\d{1,9}")) throw KinoraException.badRequest("invalid_" + name.toLowerCase(java.util.Locale.ROOT).substring(1),
                name + " must be a non-negative integer.");
        return Integer.parseInt(v);
    }

    private static void playlist(Context ctx, String body) {
        // Every reload must reach the origin (or a CDN that collapses identical blocking requests for a moment).
        ctx.header("Cache-Control", "no-cache");
        ctx.contentType("application/vnd.apple.mpegurl");
        ctx.result(body.getBytes(StandardCharsets.UTF_8));
    }

    /** A viewer: address and browser; for a request an API node forwarded, the viewer it forwarded for. */
    private static String viewerKey(Context ctx) {
        String forwardedFor = ctx.header(EdgeProxy.VIEWER);
        if (ctx.header(EdgeProxy.FORWARDED) != null && forwardedFor != null && !forwardedFor.isBlank()) {
            return forwardedFor.length() > 300 ? forwardedFor.substring(0, 300) : forwardedFor;
        }
        // It travels to the ingest node as a header value: printable ASCII only, bounded.
        String key = (ctx.ip() + "|" + Optional.ofNullable(ctx.userAgent()).orElse("")).replaceAll("[^\\x20-\\x7E]", "");
        return key.length() > 300 ? key.substring(0, 300) : key;
    }
}
