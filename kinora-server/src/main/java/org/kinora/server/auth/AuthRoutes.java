package org.kinora.server.auth;

import static org.kinora.server.http.ApiRole.IDEMPOTENT;
import static org.kinora.server.http.ApiRole.SIGNED_IN;
import static org.kinora.server.http.Doc.doc;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.time.Instant;
import org.kinora.core.account.AccountService;
import org.kinora.core.account.User;
import org.kinora.core.admin.AccountGate;
import org.kinora.core.common.KinoraException;
import org.kinora.server.http.Api;
import org.kinora.server.http.Authenticator;
import org.kinora.server.http.Routes;

/**
 * Sign-up ({@code POST /api/v1/auth/register}), bearer tokens ({@code POST /api/v1/auth/token}),
 * web sessions ({@code POST|DELETE /api/v1/auth/session}) and password changes
 * ({@code POST /api/v1/auth/password}, which ends every session and token of the account).
 */
public final class AuthRoutes implements Routes {
    private final AccountService accounts;
    private final AccessTokens tokens;
    private final SessionStore sessions;
    private final Authenticator auth;
    private final SignInThrottle throttle;
    private final AccountGate gate;
    /** The optional date of birth given at sign-up (age-restricted videos, issue 17). */
    private final org.kinora.core.playback.BirthDates birthDates;

    public AuthRoutes(AccountService accounts, AccessTokens tokens, SessionStore sessions, Authenticator auth, SignInThrottle throttle,
                      AccountGate gate, org.kinora.core.playback.BirthDates birthDates) {
        this.gate = gate;
        this.birthDates = birthDates;
        this.accounts = accounts;
        this.tokens = tokens;
        this.sessions = sessions;
        this.auth = auth;
        this.throttle = throttle;
    }

    record RegisterRequest(String username, String email, String password, String birthDate) {}

    record TokenRequest(String username, String password) {}

    /** {@code awaitingApproval}: the instance approves new accounts; this one can sign in once an admin did. */
    record UserView(String id, String username, String email, Instant createdAt, boolean awaitingApproval) {
        static UserView of(User u, boolean awaiting) { return new UserView(u.id(), u.username(), u.email(), u.createdAt(), awaiting); }
    }

    record TokenResponse(String accessToken, String tokenType, long expiresIn, String userId) {}

    record MeView(String id, String username) {}

    record PasswordChange(String currentPassword, String newPassword) {}

    @Override
    public void register(Api app) {
        app.post("/api/v1/auth/register", doc("Create an account (with its channel)", IDEMPOTENT).body(RegisterRequest.class), ctx -> {
            RegisterRequest r = body(ctx, RegisterRequest.class);
            throttle.signUp(ctx);
            gate.beforeSignUp();
            // Checked before the account exists: a wrong date is a 400 with nothing created.
            var birthDate = org.kinora.server.protection.BirthDateInput.parse(r.birthDate(), java.time.LocalDate.now(java.time.ZoneOffset.UTC));
            User user = accounts.register(r.username(), r.email(), r.password());
            if (birthDate.isPresent()) birthDates.save(user.id(), birthDate);
            ctx.status(201).json(UserView.of(user, gate.afterSignUp(user)));
        });
        app.post("/api/v1/auth/token", doc("Sign in: a bearer access token for API clients", IDEMPOTENT).body(TokenRequest.class), ctx -> {
            TokenRequest r = body(ctx, TokenRequest.class);
            throttle.signIn(ctx, r.username());
            User user = accounts.authenticate(r.username(), r.password());
            gate.beforeSignIn(user);
            int generation = sessions.generation(user.id()).orElse(0);
            ctx.json(new TokenResponse(tokens.issue(user.id(), generation), "Bearer", tokens.ttl().toSeconds(), user.id()));
        });
        // The web pages sign in with a session cookie rather than a token JavaScript could read.
        app.post("/api/v1/auth/session", doc("Sign in the web pages: sets the httpOnly session cookie", IDEMPOTENT).body(TokenRequest.class), ctx -> {
            TokenRequest r = body(ctx, TokenRequest.class);
            throttle.signIn(ctx, r.username());
            User user = accounts.authenticate(r.username(), r.password());
            gate.beforeSignIn(user);
            ctx.cookie(sessionCookie(ctx, sessions.create(user.id()), (int) sessions.ttl().toSeconds()));
            ctx.json(new MeView(user.id(), user.username()));
        });
        app.delete("/api/v1/auth/session", doc("Sign out the web pages: clears the session cookie", IDEMPOTENT), ctx -> {
            auth.sessionUser(ctx); // refuses a cross-site sign-out
            sessions.revoke(ctx.cookie(Authenticator.SESSION_COOKIE)); // the cookie is dead even if a copy survives
            ctx.cookie(sessionCookie(ctx, "", 0));
            ctx.status(204);
        });
        app.post("/api/v1/auth/password", doc("Change the password; ends every session and token of the user", SIGNED_IN, IDEMPOTENT).body(PasswordChange.class), ctx -> {
            String userId = auth.requireUser(ctx);
            PasswordChange r = body(ctx, PasswordChange.class);
            throttle.signIn(ctx, userId);
            accounts.changePassword(userId, r.currentPassword(), r.newPassword(), () -> sessions.revokeAll(userId));
            // Every session and token ended, this browser's too: it signs in again with the new password.
            if (ctx.cookie(Authenticator.SESSION_COOKIE) != null) ctx.cookie(sessionCookie(ctx, "", 0));
            ctx.status(204);
        });
        app.get("/api/v1/auth/me", doc("The signed-in user's id and name", SIGNED_IN), ctx -> {
            User user = accounts.find(auth.requireUser(ctx))
                    .orElseThrow(() -> KinoraException.unauthorized("unknown_user", "This account no longer exists."));
            ctx.header("Cache-Control", "no-store");
            ctx.json(new MeView(user.id(), user.username()));
        });
    }

    private static Cookie sessionCookie(Context ctx, String value, int maxAgeSeconds) {
        boolean https = org.kinora.server.http.ForwardedHeaders.isHttps(ctx);
        return new Cookie(Authenticator.SESSION_COOKIE, value, "/", maxAgeSeconds, https, 0, true, null, null, SameSite.LAX);
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
