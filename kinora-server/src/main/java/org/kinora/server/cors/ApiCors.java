package org.kinora.server.cors;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.Locale;
import org.kinora.server.config.KinoraConfig;
import org.kinora.server.http.Api;
import org.kinora.server.http.Routes;

/**
 * CORS for {@code /api/...} (the JSON API and tus at {@code /api/v1/uploads}), for the origins in
 * {@code cors.allowed-origins} only.
 *
 * <p>A preflight ({@code OPTIONS} with {@code Access-Control-Request-Method}) from such an origin is
 * answered here, for any API path, and nothing after this filter runs: preflights carry no
 * credentials, so they must not reach rate limits, idempotency or the endpoint (the tus
 * {@code OPTIONS} discovery stays a route of its own for requests that are not preflights). Actual
 * requests get {@code Access-Control-Allow-Origin} naming the origin, on error answers too (the
 * header is set before the endpoint runs), and the response headers a client needs exposed.
 *
 * <p>Credentials are not allowed ({@code Access-Control-Allow-Credentials} is never sent): other
 * sites' pages authenticate with a bearer token, so a browser does not hand them the reply to a
 * request it sent with the user's cookie, and a cookie-carrying write from another origin is refused
 * anyway by {@link org.kinora.server.http.Authenticator#requireSameOriginForWrites}.
 */
final class ApiCors implements Routes {
    static final String METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
    /** What browsers do not send without asking: tus's headers, the bearer token, JSON, idempotency keys. */
    static final String REQUEST_HEADERS = String.join(", ", "Authorization", "Content-Type", "Idempotency-Key",
            "Tus-Resumable", "Upload-Length", "Upload-Offset", "Upload-Metadata", "Upload-Concat", "Upload-Checksum",
            "Upload-Defer-Length", "X-HTTP-Method-Override", "X-Requested-With", "If-Match", "If-None-Match");
    /** What a cross-origin script may read of a reply beyond the CORS-safelisted headers. */
    static final String EXPOSED_HEADERS = String.join(", ", "Location", "Upload-Offset", "Upload-Length", "Upload-Expires",
            "Upload-Concat", "Upload-Metadata", "Tus-Resumable", "Tus-Version", "Tus-Extension", "Tus-Max-Size",
            "Tus-Checksum-Algorithm", "Kinora-Video-Id", "Retry-After", "ETag", "Link", "Idempotent-Replayed");

    private final KinoraConfig.Cors config;

    ApiCors(KinoraConfig.Cors config) {
        this.config = config;
    }

    @Override
    public void register(Api app) {
        if (config.allowedOrigins().isEmpty()) return; // nothing to allow: no CORS header is ever sent
        app.before("/api/*", this::apply);
    }

    private void apply(Context ctx) {
        String origin = ctx.header("Origin");
        // Every answer may depend on Origin, so caches must keep them apart.
        ctx.res().addHeader("Vary", "Origin");
        if (origin == null || !config.allows(origin.strip().toLowerCase(Locale.ROOT))) return;
        ctx.header("Access-Control-Allow-Origin", origin.strip());
        if (ctx.method() == HandlerType.OPTIONS && ctx.header("Access-Control-Request-Method") != null) {
            ctx.header("Access-Control-Allow-Methods", METHODS);
            ctx.header("Access-Control-Allow-Headers", REQUEST_HEADERS);
            ctx.header("Access-Control-Max-Age", Long.toString(config.maxAge().toSeconds()));
            ctx.status(204);
            ctx.skipRemainingHandlers();
            return;
        }
        ctx.header("Access-Control-Expose-Headers", EXPOSED_HEADERS);
    }
}
