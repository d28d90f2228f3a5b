package org.kinora.server.http;

import io.javalin.http.Context;
import java.util.Optional;
import org.kinora.core.common.KinoraException;
import org.kinora.server.auth.AccessTokens;

/**
 * Finds who is calling: an {@code Authorization: Bearer} header, or an {@code access_token}
 * query parameter for the places a browser cannot set headers (EventSource).
 */
public final class Authenticator {
    private final AccessTokens tokens;

    public Authenticator(AccessTokens tokens) {
        this.tokens = tokens;
    }

    /** The caller's user id; 401 when there is no valid token. */
    public String requireUser(Context ctx) {
        return optionalUser(ctx).orElseThrow(() -> KinoraException.unauthorized("authentication_required",
                "Sign in first: send 'Authorization: Bearer <access_token>' from POST /api/v1/auth/token."));
    }

    /** The caller's user id, empty for anonymous callers; a present but bad token is still a 401. */
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
        return Optional.empty();
    }
}
