package org.kinora.server.auth;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Instant;
import org.kinora.core.account.AccountService;
import org.kinora.core.account.User;
import org.kinora.core.common.KinoraException;
import org.kinora.server.http.Routes;

/** {@code POST /api/v1/auth/register} and {@code POST /api/v1/auth/token}. */
public final class AuthRoutes implements Routes {
    private final AccountService accounts;
    private final AccessTokens tokens;

    public AuthRoutes(AccountService accounts, AccessTokens tokens) {
        this.accounts = accounts;
        this.tokens = tokens;
    }

    record RegisterRequest(String username, String email, String password) {}

    record TokenRequest(String username, String password) {}

    record UserView(String id, String username, String email, Instant createdAt) {
        static UserView of(User u) { return new UserView(u.id(), u.username(), u.email(), u.createdAt()); }
    }

    record TokenResponse(String accessToken, String tokenType, long expiresIn, String userId) {}

    @Override
    public void register(Javalin app) {
        app.post("/api/v1/auth/register", ctx -> {
            RegisterRequest r = body(ctx, RegisterRequest.class);
            User user = accounts.register(r.username(), r.email(), r.password());
            ctx.status(201).json(UserView.of(user));
        });
        app.post("/api/v1/auth/token", ctx -> {
            TokenRequest r = body(ctx, TokenRequest.class);
            User user = accounts.authenticate(r.username(), r.password());
            ctx.json(new TokenResponse(tokens.issue(user.id()), "Bearer", tokens.ttl().toSeconds(), user.id()));
        });
    }

    /** Parses a JSON body, turning malformed JSON into a 400 that says so. */
    public static <T> T body(Context ctx, Class<T> type) {
        try {
            T value = ctx.bodyAsClass(type);
            if (value == null) throw new IllegalArgumentException("empty body");
            return value;
        } catch (Exception e) { // Jackson's parse errors arrive unchecked through Javalin
            throw KinoraException.badRequest("invalid_json", "The request body must be a JSON object of the documented shape.");
        }
    }
}
