package org.kinora.server.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.net.URI;
import java.util.Optional;
import java.util.OptionalInt;
import org.kinora.core.common.ErrorKind;
import org.kinora.core.common.KinoraException;
import org.kinora.server.auth.AccessTokens;
import org.kinora.server.auth.SessionStore;

/**
 * Finds who is calling: an {@code Authorization: Bearer} header (API clients), an
 * {@code access_token} query parameter (only on event streams: EventSource cannot send headers,
 * and a token in any other URL ends up in logs and histories), or the web pages' session cookie.
 * Tokens and sessions are checked against the database on every request, so a token of a
 * deleted account, a token from before a password change and a signed-out session are refused.
 *
 * <p>The cookie is httpOnly and SameSite=Lax, and a request that changes something with it must
 * also come from our own origin ({@code Sec-Fetch-Site}/{@code Origin}); together that shuts out
 * cross-site request forgery without a token in every form.
 */
public final class Authenticator {
    public static final String SESSION_COOKIE = "kinora_session";

    private final AccessTokens tokens;
    private final SessionStore sessions;

    public Authenticator(AccessTokens tokens, SessionStore sessions) {
        this.tokens = tokens;
        this.sessions = sessions;
    }

    /** The caller's user id; 401 when there is no valid token or session. */
    public String requireUser(Context ctx) {
        return optionalUser(ctx).orElseThrow(() -> {
            if (ctx.cookie(SESSION_COOKIE) != null) {
                return KinoraException.unauthorized("session_expired", "Your session has expired or was signed out; sign in again.");
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
            return Optional.of(bearer(header.substring(7).trim()));
        }
        String query = ctx.queryParam("access_token");
        if (query != null && !query.isBlank()) {
            if (!isEventStream(ctx)) {
                throw KinoraException.unauthorized("token_in_url",
                        "access_token in the URL is accepted only by event streams; send 'Authorization: Bearer <access_token>'.");
            }
            return Optional.of(bearer(query));
        }
        return sessionUser(ctx);
    }

    /** The SSE endpoints (GET; POST .../events are play events), the only routes EventSource reaches without a header. */
    static boolean isEventStream(Context ctx) {
        String path = ctx.path();
        return ctx.method() == HandlerType.GET
                && (path.equals("/api/v1/notifications/stream") || (path.startsWith("/api/v1/videos/") && path.endsWith("/events")));
    }

    private String bearer(String token) {
        AccessTokens.Claims claims = tokens.verifyClaims(token);
        OptionalInt current = sessions.generation(claims.userId());
        if (current.isEmpty()) {
            throw KinoraException.unauthorized("unknown_user", "The account this token was issued to no longer exists.");
        }
        if (current.getAsInt() != claims.generation()) {
            throw KinoraException.unauthorized("token_revoked", "This token was revoked (the password changed); sign in again.");
        }
        return claims.userId();
    }

    /** The user of a live session cookie; rejects a state-changing request from another site. */
    public Optional<String> sessionUser(Context ctx) {
        String cookie = ctx.cookie(SESSION_COOKIE);
        if (cookie == null || cookie.isBlank()) return Optional.empty();
        Optional<String> user = sessions.userOf(cookie);
        if (user.isEmpty()) return Optional.empty();
        requireSameOriginForWrites(ctx);
        return user;
    }

    /** A cookie-carrying request that changes something must come from our own pages. */
    public static void requireSameOriginForWrites(Context ctx) {
        if (!isSafe(ctx.method()) && !isSameOrigin(ctx)) {
            throw new KinoraException(ErrorKind.FORBIDDEN, "cross_site_request",
                    "This request came from another site with your session cookie and was refused. "
                            + "API clients should send 'Authorization: Bearer <access_token>' instead.");
        }
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
            URI o = URI.create(origin.strip());
            // "Origin: null" (sandboxed frames, file: pages, some redirects) has no host: never ours.
            if (o.getHost() == null) return false;
            String host = ForwardedHeaders.requestHost(ctx);
            String authority = o.getPort() == -1 ? o.getHost() : o.getHost() + ":" + o.getPort();
            return host != null && authority.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
