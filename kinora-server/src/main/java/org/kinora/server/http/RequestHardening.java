package org.kinora.server.http;

import io.javalin.http.Context;
import java.util.Optional;
import org.kinora.core.common.KinoraException;

/**
 * Headers and checks every response and request gets: {@code X-Content-Type-Options: nosniff}
 * (HTML, JSON and media alike: a browser must never guess a type), HSTS once the client reached
 * us over HTTPS (directly or at a trusted proxy) or the public URL is HTTPS, and a 400 for a NUL
 * character in the path or query string, which PostgreSQL text cannot hold. Registered after
 * {@link ForwardedHeaders}, whose verdict on HTTPS it reads.
 */
public final class RequestHardening implements Routes {
    private static final String HSTS = "max-age=31536000";
    private final boolean publicHttps;

    public RequestHardening(Optional<String> publicUrl) {
        this.publicHttps = publicUrl.map(u -> u.regionMatches(true, 0, "https://", 0, 8)).orElse(false);
    }

    @Override
    public void register(Api app) {
        app.before(this::apply);
    }

    private void apply(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        if (publicHttps || ForwardedHeaders.isHttps(ctx)) ctx.header("Strict-Transport-Security", HSTS);
        String query = ctx.queryString();
        if (ctx.path().indexOf('\0') >= 0 || (query != null && (query.contains("%00") || query.indexOf('\0') >= 0))) {
            throw KinoraException.badRequest("invalid_character",
                    "The URL contains a NUL character (%00), which no Kinora parameter accepts; remove it.");
        }
    }
}
