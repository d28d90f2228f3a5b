package org.kinora.server.web;

import io.javalin.http.Context;
import java.net.URI;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kinora.core.account.AccountService;
import org.kinora.core.common.ErrorKind;
import org.kinora.core.common.KinoraException;
import org.kinora.core.video.Video;
import org.kinora.core.video.VideoService;
import org.kinora.server.videos.VideoView;
import org.kinora.server.videos.VideoViews;

/** oEmbed 1.0 ({@code GET /oembed?url=…}): how other sites turn a watch link into an embedded player. */
final class OEmbed {
    private static final Pattern WATCH = Pattern.compile("^/(?:watch|embed)/([A-Za-z0-9_-]{1,64})$");
    private static final int DEFAULT_WIDTH = 640;

    private final VideoService videos;
    private final VideoViews views;
    private final AccountService accounts;

    OEmbed(VideoService videos, VideoViews views, AccountService accounts) {
        this.videos = videos;
        this.views = views;
        this.accounts = accounts;
    }

    record Response(String version, String type, String providerName, String providerUrl, String title, String authorName,
                    String html, int width, int height, String thumbnailUrl, Integer thumbnailWidth, Integer thumbnailHeight) {}

    void handle(Context ctx) {
        String format = ctx.queryParam("format");
        if (format != null && !format.equals("json")) {
            throw new KinoraException(ErrorKind.NOT_IMPLEMENTED, "unsupported_format", "Only format=json is supported.");
        }
        String url = ctx.queryParam("url");
        if (url == null || url.isBlank()) throw KinoraException.badRequest("missing_url", "Pass the watch page as ?url=.");
        String id = videoId(url).orElseThrow(() -> KinoraException.notFound("A Kinora video at that URL"));
        // Embeds are for everyone: only what an anonymous viewer may watch is embeddable.
        Video video = videos.visibleVideo(id, null);
        VideoView view = views.view(ctx, video, null);
        int width = Math.min(DEFAULT_WIDTH, pixels(ctx.queryParam("maxwidth")).orElse(DEFAULT_WIDTH));
        double aspect = video.width() != null && video.height() != null && video.height() > 0
                ? (double) video.width() / video.height() : 16.0 / 9;
        int maxHeight = pixels(ctx.queryParam("maxheight")).orElse(Integer.MAX_VALUE);
        int height = (int) Math.round(width / aspect);
        if (height > maxHeight) {
            height = maxHeight;
            width = (int) Math.round(height * aspect);
        }
        String base = views.baseUrl(ctx);
        String iframe = "<iframe src=\"" + Html.escape(base + "/embed/" + id) + "\" width=\"" + width + "\" height=\"" + height
                + "\" title=\"" + Html.escape(video.title()) + "\" frameborder=\"0\" allow=\"autoplay; fullscreen; picture-in-picture\" allowfullscreen></iframe>";
        String author = accounts.find(video.ownerId()).map(u -> u.username()).orElse(null);
        ctx.header("Cache-Control", "public, max-age=300");
        ctx.json(new Response("1.0", "video", "Kinora", base + "/", video.title(), author, iframe, width, height,
                view.playback() == null ? null : view.playback().poster(),
                view.playback() == null ? null : video.width(), view.playback() == null ? null : video.height()));
    }

    private static Optional<String> videoId(String url) {
        try {
            Matcher m = WATCH.matcher(URI.create(url).getPath());
            return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }

    private static Optional<Integer> pixels(String s) {
        if (s == null || s.isBlank()) return Optional.empty();
        try {
            int n = Integer.parseInt(s);
            if (n < 32) throw new NumberFormatException();
            return Optional.of(n);
        } catch (NumberFormatException e) {
            throw KinoraException.badRequest("invalid_size", "maxwidth and maxheight must be whole numbers of pixels, at least 32.");
        }
    }
}
