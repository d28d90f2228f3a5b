package org.kinora.server.mail;

import static org.kinora.server.http.ApiRole.IDEMPOTENT;
import static org.kinora.server.http.ApiRole.SIGNED_IN;
import static org.kinora.server.http.Doc.doc;

import org.kinora.core.account.EmailAccountFlows;
import org.kinora.core.common.RateLimiter;
import org.kinora.server.auth.AuthRoutes;
import org.kinora.server.http.Api;
import org.kinora.server.http.Authenticator;
import org.kinora.server.http.ForwardedHeaders;
import org.kinora.server.http.Routes;

/**
 * Email verification and password reset by emailed link. Asking for a reset answers 202 whether
 * or not the address has an account, and is limited per client address (each one sends an email).
 */
final class EmailRoutes implements Routes {
    private final EmailAccountFlows flows;
    private final Authenticator auth;
    private final RateLimiter mails;

    EmailRoutes(EmailAccountFlows flows, Authenticator auth, RateLimiter mails) {
        this.flows = flows;
        this.auth = auth;
        this.mails = mails;
    }

    record Token(String token) {}

    record ResetRequest(String email) {}

    record ResetConfirm(String token, String newPassword) {}

    record Verified(boolean emailVerified) {}

    @Override
    public void register(Api app) {
        app.post("/api/v1/auth/email/verify", doc("Verify the account's email address with the token from the emailed link", IDEMPOTENT).body(Token.class), ctx -> {
            flows.verify(AuthRoutes.body(ctx, Token.class).token());
            ctx.json(new Verified(true));
        });
        app.post("/api/v1/auth/email/verification", doc("Send the verification email again (limited per address per hour)", SIGNED_IN, IDEMPOTENT), ctx -> {
            String user = auth.requireUser(ctx);
            mails.acquire(ForwardedHeaders.clientIp(ctx));
            flows.resendVerification(user);
            ctx.status(202);
        });
        app.get("/api/v1/auth/email", doc("Whether the caller's email address is verified", SIGNED_IN), ctx ->
                ctx.json(new Verified(flows.isVerified(auth.requireUser(ctx)))));
        app.post("/api/v1/auth/password/reset", doc("Email a password reset link (202 whether or not the address has an account)", IDEMPOTENT).body(ResetRequest.class), ctx -> {
            ResetRequest r = AuthRoutes.body(ctx, ResetRequest.class);
            mails.acquire(ForwardedHeaders.clientIp(ctx));
            flows.requestReset(r.email());
            ctx.status(202);
        });
        app.post("/api/v1/auth/password/reset/confirm", doc("Set a new password with the token from a reset link; ends every session and token", IDEMPOTENT).body(ResetConfirm.class), ctx -> {
            ResetConfirm r = AuthRoutes.body(ctx, ResetConfirm.class);
            flows.reset(r.token(), r.newPassword());
            ctx.status(204);
        });
    }
}
