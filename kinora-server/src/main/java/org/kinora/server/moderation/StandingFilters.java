package org.kinora.server.moderation;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.util.Locale;
import org.kinora.core.common.ErrorKind;
import org.kinora.core.common.KinoraException;
import org.kinora.core.moderation.BlockRepository;
import org.kinora.core.moderation.Restrictions;
import org.kinora.server.http.Api;
import org.kinora.server.http.ApiRole;
import org.kinora.server.http.Authenticator;
import org.kinora.server.http.Json;
import org.kinora.server.http.Routes;

/**
 * Enforcement at the door: a suspended or terminated account makes no write but its appeals;
 * a sign-up with an email of a blocked domain is refused.
 */
record StandingFilters(Restrictions restrictions, BlockRepository blocks, Authenticator auth) implements Routes {
    @Override
    public void register(Api app) {
        app.beforeMatched(this::writes);
        app.before("/api/v1/auth/register", this::signUp);
    }

    private void writes(Context ctx) {
        if (!ctx.routeRoles().contains(ApiRole.WRITE_LIMITED) || ctx.routeRoles().contains(ApiRole.ALLOWED_WHILE_SUSPENDED)) return;
        auth.optionalUser(ctx).ifPresent(restrictions::checkMayWrite);
    }

    private void signUp(Context ctx) {
        String email;
        try {
            JsonNode body = Json.mapper().readTree(ctx.body());
            email = body == null || body.get("email") == null ? null : body.get("email").asText();
        } catch (Exception unreadable) {
            return; // the sign-up handler answers malformed bodies with its own 400
        }
        if (email == null || email.indexOf('@') < 0) return;
        String domain = email.substring(email.lastIndexOf('@') + 1).strip().toLowerCase(Locale.ROOT);
        if (blocks.isDomainBlocked(domain)) {
            throw new KinoraException(ErrorKind.FORBIDDEN, "sign_up_refused",
                    "Sign-ups with " + domain + " addresses are not accepted on this instance.");
        }
    }
}
