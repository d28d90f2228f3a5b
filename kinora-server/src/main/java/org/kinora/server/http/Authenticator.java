package org.kinora.server.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.net.URI;
import java.util.Optional;
import org.kinora.core.common.ErrorKind;
import org.kinora.core.common.KinoraException;
import org.kinora.server.auth.AccessTokens;

/**
 * Finds who is calling: an {@code Authorization: Bearer} header (API clients), an
 * {@code access_token} query parameter (EventSource from other origins), or the web pages'
 * session cookie.
 *
 * <p>The cookie is httpOnly and SameSite=Lax, and a request that changes something with it must
 * also come from our own origin ({@code Sec-Fetch-Site}/{@code Origin}); together that shuts out
 * cross-site request forgery without a token in every form.
 */
public final class Authenticator {
    public static final String SESSION_COOKIE = "kinora_session";

    private final AccessTokens tokens;
    private final AccessTokens sessions;

    public Authenticator(AccessTokens tokens, AccessTokens sessions) {
        this.tokens = tokens;
        this.sessions = sessions;
    }

    /** The caller's user id; 401 when there is no valid token or session. */
    public String requireUser(Context ctx) {
        return optionalUser(ctx).orElseThrow(() -> {
            if (ctx.cookie(SESSION_COOKIE) != null) {
                return KinoraException.unauthorized("session_expired", "Your session has expired; sign in again.");
            }
            return KinoraException.unauthorized("authentication_required",
                    "Sign in first: send 'Authorization: Bearer <access_token>' from POST /api/v1/auth/token.");
        });
    }

    /**
     * The caller's user id, empty for anonymous callers. A present but bad bearer token is still a
     * 401; an expired session cookie counts as signed out, so pages keep working for the visitor.
     */
    public Optional<String> optionalUser(Context ctx) {
        String header = ctx.header("Authorization");
        if (header != null && !header.isBlank()) {
            if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw KinoraException.unauthorized("invalid_token", "Authorization must be 'Bearer <access_token>'.");
            }
            return Optional.of(tokens.verify(header.substring(7).trim()));
        }
        String query = ctx.queryParam("access_token");
        if (query != null && !query.isBlank()) return Optional.of(tokens.verify(query));
        return sessionUser(ctx);
    }

    /** The user of a valid session cookie; rejects a state-changing request from another site. */
    public Optional<String> sessionUser(Context ctx) {
        String cookie = ctx.cookie(SESSION_COOKIE);
        if (cookie == null || cookie.isBlank()) return Optional.empty();
        Optional<String> user;
        try {
            user = Optional.of(sessions.verify(cookie));
        } catch (KinoraException expiredOrForged) {
            return Optional.empty();
        }
        if (!isSafe(ctx.method()) && !isSameOrigin(ctx)) {
            throw new KinoraException(ErrorKind.FORBIDDEN, "cross_site_request",
                    "This request came from another site with your session cookie and was refused. "
                            + "API clients should send 'Authorization: Bearer <access_token>' instead.");
        }
        return user;
    }

    private static boolean isSafe(HandlerType method) {
        return method == HandlerType.GET || method == HandlerType.HEAD || method == HandlerType.OPTIONS;
    }

    private static boolean isSameOrigin(Context ctx) {
        String site = ctx.header("Sec-Fetch-Site");
        if (site != null) return site.equals("same-origin") || site.equals("none");
        String origin = ctx.header("Origin");
        if (origin == null) return false;
        try {
            URI o = URI.create(origin);
            String host = ctx.header("X-Forwarded-Host") != null ? ctx.header("X-Forwarded-Host") : ctx.host();
            String authority = o.getPort() == -1 ? o.getHost() : o.getHost() + ":" + o.getPort();
            return authority.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
