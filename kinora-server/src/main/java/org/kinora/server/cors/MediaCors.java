package org.kinora.server.cors;

import static org.kinora.server.http.Doc.doc;

import io.javalin.http.Context;
import org.kinora.server.http.Api;
import org.kinora.server.http.Routes;

/**
 * CORS for the media origin, from any origin ({@code *}), whatever {@code cors.allowed-origins} says.
 *
 * <p>Why any: a media URL is a bearer grant in itself (the playback token in its path decides
 * access, for public and private videos alike), no cookie or header of the viewer is involved, and
 * embedding players on other sites is the point of a video platform. Listing origins would protect
 * nothing the token does not, and would break embeds. Without credentials, {@code *} is what the
 * Fetch standard allows.
 *
 * <p>Players send {@code Range}, CMCD in header mode ({@code CMCD-Request}, {@code CMCD-Object},
 * {@code CMCD-Status}, {@code CMCD-Session}) and sometimes an auth header: those trigger a
 * preflight, answered by the declared {@code OPTIONS} route. {@code Timing-Allow-Origin} lets
 * players (hls.js, dash.js, Shaka) read Resource Timing for their bandwidth estimates, and the
 * exposed headers let them read ranges, sizes and validators.
 */
public final class MediaCors implements Routes {
    static final String MEDIA_PATH = "/media/{token}/{videoId}/<path>";
    public static final String REQUEST_HEADERS = String.join(", ", "Range", "If-Range", "If-None-Match", "If-Modified-Since",
            "CMCD-Request", "CMCD-Object", "CMCD-Status", "CMCD-Session", "Authorization");
    public static final String EXPOSED_HEADERS = String.join(", ", "Content-Length", "Content-Range", "Accept-Ranges", "ETag",
            "Last-Modified", "Age", "Date", "Retry-After");

    @Override
    public void register(Api app) {
        app.before("/media/*", this::headers);
        app.options(MEDIA_PATH, doc("Media origin: CORS preflight for players on other sites (Range, CMCD headers)"), this::preflight);
    }

    private void headers(Context ctx) {
        ctx.header("Access-Control-Allow-Origin", "*");
        ctx.header("Timing-Allow-Origin", "*");
        ctx.header("Access-Control-Expose-Headers", EXPOSED_HEADERS);
    }

    private void preflight(Context ctx) {
        ctx.header("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
        ctx.header("Access-Control-Allow-Headers", REQUEST_HEADERS);
        ctx.header("Access-Control-Max-Age", "86400");
        ctx.header("Allow", "GET, HEAD, OPTIONS");
        ctx.status(204);
    }
}
