package org.kinora.server.web;

import static org.kinora.server.http.Doc.doc;

import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kinora.core.account.AccountService;
import org.kinora.core.channel.ChannelService;
import org.kinora.core.common.KinoraException;
import org.kinora.core.video.Privacy;
import org.kinora.core.video.Video;
import org.kinora.core.video.VideoService;
import org.kinora.server.channels.ChannelView;
import org.kinora.server.http.Api;
import org.kinora.server.http.Authenticator;
import org.kinora.server.http.Routes;
import org.kinora.server.videos.VideoView;
import org.kinora.server.videos.VideoViews;
import org.kinora.server.web.PageRenderer.Library;
import org.kinora.server.web.PageRenderer.Page;
import org.kinora.server.web.PageRenderer.Viewer;

/**
 * The web pages: home, sign in and up, upload, watch, embed, studio, channels, playlists, history
 * and the subscriptions feed, plus oEmbed. Pages are
 * rendered here with what must be in the first response (title, Open Graph tags, who is signed
 * in, the video itself for a fast start) and fill in the rest from the JSON API.
 */
public final class WebRoutes implements Routes {
    private final Viewers viewers;
    private final PageRenderer pages;
    private final VideoService videos;
    private final VideoViews views;
    private final AccountService accounts;
    private final ChannelService channels;
    private final Authenticator auth;

    public WebRoutes(PageRenderer pages, VideoService videos, VideoViews views, AccountService accounts, ChannelService channels,
                     Authenticator auth, Viewers viewers) {
        this.pages = pages;
        this.viewers = viewers;
        this.videos = videos;
        this.views = views;
        this.accounts = accounts;
        this.channels = channels;
        this.auth = auth;
    }

    @Override
    public void register(Api app) {
        app.get("/", doc("Page: home"), ctx -> html(ctx, new Page("Kinora", "home", Map.of(), "home", List.of(), Map.of(), null, false)));
        app.get("/signin", doc("Page: sign in"), ctx -> authPage(ctx, "Sign in", "signin"));
        app.get("/signup", doc("Page: create an account"), ctx -> authPage(ctx, "Create your account", "signup"));
        app.get("/upload", doc("Page: upload a video (signed in, else redirects to sign in)"), ctx -> {
            if (signedInOrRedirect(ctx)) {
                html(ctx, new Page("Upload a video · Kinora", "upload", Map.of(), "upload", List.of(Library.TUS), Map.of(), null, false));
            }
        });
        app.get("/studio", doc("Page: your videos (signed in, else redirects to sign in)"), ctx -> {
            Optional<Viewer> viewer = viewer(ctx);
            if (viewer.isEmpty()) {
                signedInOrRedirect(ctx);
                return;
            }
            html(ctx, new Page("Your videos · Kinora", "studio", Map.of("user_id", viewer.get().id()), "studio", List.of(), Map.of(),
                    null, false));
        });
        app.get("/studio/analytics", doc("Page: analytics of your channel, or of one video with ?video= (signed in)"), ctx -> {
            Optional<Viewer> viewer = viewer(ctx);
            if (viewer.isEmpty()) {
                signedInOrRedirect(ctx);
                return;
            }
            html(ctx, new Page("Analytics · Kinora", "analytics", Map.of(), "analytics", List.of(Library.UPLOT),
                    Map.of("channel_id", viewer.get().id()), null, false));
        });
        app.get("/search", doc("Page: search results"), ctx -> {
            String q = ctx.queryParam("q");
            if (q == null || q.isBlank()) {
                ctx.redirect("/");
                return;
            }
            Map<String, Object> filters = new java.util.HashMap<>();
            for (String key : List.of("q", "sort", "duration", "uploaded", "channel", "category", "language")) {
                String value = ctx.queryParam(key);
                if (value != null && !value.isBlank()) filters.put(key, value.trim());
            }
            html(ctx, new Page(q.trim() + " · Search · Kinora", "search", Map.of("query", q.trim()), "search", List.of(),
                    Map.of("filters", filters), null, false));
        });
        app.get("/trending", doc("Page: trending videos"), ctx -> html(ctx, new Page("Trending · Kinora", "trending", Map.of(), "trending", List.of(),
                Map.of(), null, false)));
        app.get("/channel/{ref}", doc("Page: a channel"), this::channel);
        app.get("/feed/subscriptions", doc("Page: your subscriptions feed (signed in)"), ctx -> signedInPage(ctx, "Subscriptions", "subscriptions"));
        app.get("/playlists", doc("Page: your playlists (signed in)"), ctx -> signedInPage(ctx, "Your playlists", "playlists"));
        app.get("/history", doc("Page: your watch history (signed in)"), ctx -> signedInPage(ctx, "Watch history", "history"));
        app.get("/verify-email", doc("Page: confirm an email address (the link in the verification email)"), ctx -> html(ctx,
                new Page("Confirm your email · Kinora", "verify-email", Map.of(), "account-email", List.of(), Map.of(), null, false)));
        app.get("/reset-password", doc("Page: reset a password (ask for the link, or choose the new one with it)"), ctx -> html(ctx,
                new Page("Reset your password · Kinora", "reset-password", Map.of(), "account-email", List.of(), Map.of(), null, false)));
        app.get("/admin", doc("Page: administration (moderators and admins; signed in)"), ctx -> signedInPage(ctx, "Administration", "admin"));
        app.get("/playlist/{id}", doc("Page: a playlist"), ctx -> html(ctx, new Page("Playlist · Kinora", "playlist", Map.of(), "playlist", List.of(),
                Map.of("playlist_id", ctx.pathParam("id")), null, false)));
        app.get("/watch/{id}", doc("Page: watch a video"), ctx -> watch(ctx, false));
        app.get("/embed/{id}", doc("Page: the embeddable player"), ctx -> watch(ctx, true));
        app.get("/oembed", doc("oEmbed for a watch URL (JSON)"), new OEmbed(videos, views, accounts)::handle);
        app.get("/favicon.ico", doc("Redirects to the SVG icon"), ctx -> ctx.redirect("/static/img/favicon.svg", io.javalin.http.HttpStatus.MOVED_PERMANENTLY));
        app.error(404, "html", ctx -> { // a person's browser gets a page; API clients keep the JSON error
            if (!isMachinePath(ctx.path())) notFound(ctx);
        });
    }

    private void watch(Context ctx, boolean embed) {
        Optional<Viewer> viewer = viewer(ctx);
        String viewerId = viewer.map(Viewer::id).orElse(null);
        Video video;
        try {
            video = videos.visibleVideo(ctx.pathParam("id"), viewerId);
        } catch (KinoraException notVisible) {
            notFound(ctx);
            return;
        }
        VideoView view = views.view(ctx, video, viewerId);
        ChannelView channel = ChannelView.of(channels.details(video.ownerId(), viewerId));
        // ?player=dash (dash.js) or ?player=shaka (Shaka Player) play the MPD; hls.js otherwise.
        String requested = ctx.queryParam("player");
        String engine = "dash".equals(requested) || "shaka".equals(requested) ? requested : "hls";
        String base = views.baseUrl(ctx);
        Map<String, Object> data = new java.util.HashMap<>(Map.of("video", view, "channel", channel, "player", engine, "embed", embed));
        String list = ctx.queryParam("list");
        if (list != null && list.matches("[A-Za-z0-9_-]{1,64}")) data.put("list", list);
        List<Library> libs = List.of(engine.equals("dash") ? Library.DASH : engine.equals("shaka") ? Library.SHAKA : Library.HLS);
        String title = video.title() + " · Kinora";
        Map<String, String> slots = Map.of(
                "title", video.title(),
                "channel", Optional.ofNullable(channel.displayName()).orElse(""),
                "channel_url", "/channel/@" + channel.handle(),
                "description", video.description(),
                "watch_url", base + "/watch/" + video.id());
        Page page = new Page(title, embed ? "embed" : "watch", slots, "watch", libs, data, watchHead(base, video, view), embed);
        ctx.header("Content-Security-Policy", pages.contentSecurityPolicy(embed));
        ctx.header("Cache-Control", "private, no-store");
        ctx.html(pages.render(page, viewer));
    }

    /** A channel by {@code @handle} or id: header, subscribe button and its videos. */
    private void channel(Context ctx) {
        Optional<Viewer> viewer = viewer(ctx);
        ChannelView channel;
        try {
            channel = ChannelView.of(channels.details(ctx.pathParam("ref"), viewer.map(Viewer::id).orElse(null)));
        } catch (KinoraException notFound) {
            notFound(ctx);
            return;
        }
        boolean own = viewer.map(v -> v.id().equals(channel.id())).orElse(false);
        Map<String, String> slots = Map.of("name", channel.displayName(), "handle", "@" + channel.handle(),
                "description", channel.description() == null ? "" : channel.description());
        StringBuilder head = new StringBuilder();
        meta(head, "property", "og:title", channel.displayName());
        meta(head, "property", "og:type", "profile");
        if (channel.description() != null && !channel.description().isBlank()) {
            meta(head, "name", "description", abbreviate(channel.description(), 200));
        }
        html(ctx, new Page(channel.displayName() + " · Kinora", "channel", slots, "channel", List.of(),
                Map.of("channel", channel, "own", own), head.toString(), false));
    }

    private void signedInPage(Context ctx, String title, String name) {
        if (signedInOrRedirect(ctx)) {
            html(ctx, new Page(title + " · Kinora", name, Map.of(), name, List.of(), Map.of(), null, false));
        }
    }

    /** What link previews read: Open Graph and Twitter tags, oEmbed discovery, and no indexing unless public. */
    private String watchHead(String base, Video video, VideoView view) {
        String url = base + "/watch/" + video.id();
        String description = video.description().isBlank() ? "Watch " + video.title() + " on Kinora." : abbreviate(video.description(), 200);
        StringBuilder h = new StringBuilder();
        meta(h, "name", "description", description);
        meta(h, "property", "og:site_name", "Kinora");
        meta(h, "property", "og:type", "video.other");
        meta(h, "property", "og:title", video.title());
        meta(h, "property", "og:description", description);
        meta(h, "property", "og:url", url);
        if (view.playback() != null) meta(h, "property", "og:image", view.playback().poster());
        meta(h, "property", "og:video:url", base + "/embed/" + video.id());
        meta(h, "property", "og:video:type", "text/html");
        if (video.width() != null && video.height() != null) {
            meta(h, "property", "og:video:width", video.width().toString());
            meta(h, "property", "og:video:height", video.height().toString());
        }
        meta(h, "name", "twitter:card", "player");
        meta(h, "name", "twitter:player", base + "/embed/" + video.id());
        if (video.privacy() != Privacy.PUBLIC) meta(h, "name", "robots", "noindex");
        h.append("<link rel=\"canonical\" href=\"").append(Html.escape(url)).append("\">\n");
        h.append("<link rel=\"alternate\" type=\"application/json+oembed\" title=\"").append(Html.escape(video.title()))
                .append("\" href=\"").append(Html.escape(base + "/oembed?format=json&url=" + URLEncoder.encode(url, StandardCharsets.UTF_8)))
                .append("\">\n");
        return h.toString();
    }

    private static void meta(StringBuilder h, String attr, String key, String value) {
        h.append("<meta ").append(attr).append("=\"").append(key).append("\" content=\"").append(Html.escape(value)).append("\">\n");
    }

    private static String abbreviate(String s, int max) {
        String flat = s.replaceAll("\\s+", " ").trim();
        return flat.length() <= max ? flat : flat.substring(0, max - 1) + "…";
    }

    private void authPage(Context ctx, String title, String fragment) {
        String next = safeNext(ctx.queryParam("next"));
        if (viewer(ctx).isPresent()) {
            ctx.redirect(next);
            return;
        }
        html(ctx, new Page(title + " · Kinora", fragment, Map.of(), "auth", List.of(), Map.of("next", next), null, false));
    }

    private boolean signedInOrRedirect(Context ctx) {
        if (viewer(ctx).isPresent()) return true;
        ctx.redirect("/signin?next=" + URLEncoder.encode(ctx.path(), StandardCharsets.UTF_8));
        return false;
    }

    private void notFound(Context ctx) {
        ctx.status(404);
        ctx.header("Content-Security-Policy", pages.contentSecurityPolicy(false));
        ctx.html(pages.render(new Page("Not found · Kinora", "not-found", Map.of(), "app", List.of(), Map.of(), null, false), viewer(ctx)));
    }

    private void html(Context ctx, Page page) {
        ctx.header("Content-Security-Policy", pages.contentSecurityPolicy(false));
        ctx.header("Cache-Control", "private, no-store");
        ctx.header("Referrer-Policy", "strict-origin-when-cross-origin");
        ctx.html(pages.render(page, viewer(ctx)));
    }

    private Optional<Viewer> viewer(Context ctx) {
        return viewers.of(ctx);
    }

    private static boolean isMachinePath(String path) {
        return path.startsWith("/api/") || path.startsWith("/media/") || path.startsWith("/static/")
                || path.equals("/oembed") || path.startsWith("/health") || path.equals("/metrics")
                || path.startsWith("/live/") && path.indexOf('/', 6) > 0; // a live's playlists and parts
    }

    /**
     * Only a path on this site, else "/": "//evil.example", "/\\evil.example", "https://…" and
     * "/\t/evil.example" (browsers drop tabs and newlines from URLs, leaving "//evil.example")
     * would make sign-in an open redirect. So: one leading '/', no control characters, no
     * backslash, and it must parse as a URI with neither scheme nor authority.
     */
    static String safeNext(String next) {
        if (next == null || next.length() > 2000 || !next.startsWith("/") || next.startsWith("//")) return "/";
        for (int i = 0; i < next.length(); i++) {
            char c = next.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\' || Character.isWhitespace(c) || Character.isISOControl(c)) return "/";
        }
        try {
            java.net.URI uri = new java.net.URI(next);
            if (uri.getScheme() != null || uri.getRawAuthority() != null || uri.getRawPath() == null
                    || !uri.getRawPath().startsWith("/") || uri.getRawPath().startsWith("//")) return "/";
        } catch (java.net.URISyntaxException e) {
            return "/";
        }
        return next;
    }
}
