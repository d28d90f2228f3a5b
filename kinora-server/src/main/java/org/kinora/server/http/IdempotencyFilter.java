package org.kinora.server.http;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.kinora.core.common.ErrorKind;
import org.kinora.core.common.IdempotencyRepository;
import org.kinora.core.common.KinoraException;

/**
 * {@code Idempotency-Key} on mutating API calls (POST, PUT, PATCH, DELETE under /api/v1): the
 * first request with a key runs and its response (status, body, Location) is stored for 24 h;
 * a retry with the same key, method, path and body gets that response again with
 * {@code Idempotent-Replayed: true} and does nothing. The same key with a different request is
 * a 422; a retry while the first is still running is a 409 with Retry-After. Keys are scoped
 * per user (per address for anonymous calls). Server errors (5xx) are not stored, so a retry
 * runs again. Applies to the routes declared {@link ApiRole#IDEMPOTENT}: tus uploads are
 * declared without it (tus has its own offsets for resuming), and so are avatar and banner uploads.
 */
public final class IdempotencyFilter implements Routes {
    public static final String HEADER = "Idempotency-Key";
    private static final String CLAIM = "kinora.idempotency.claim";

    private final IdempotencyRepository store;
    private final Authenticator auth;

    public IdempotencyFilter(IdempotencyRepository store, Authenticator auth) {
        this.store = store;
        this.auth = auth;
    }

    private record Claim(String scope, String key) {}

    @Override
    public void register(Api app) {
        app.beforeMatched(this::before);
        app.afterMatched(this::after);
    }

    private static boolean applies(Context ctx) {
        return ctx.routeRoles().contains(ApiRole.IDEMPOTENT);
    }

    private void before(Context ctx) {
        String key = ctx.header(HEADER);
        if (key == null || !applies(ctx)) return;
        if (key.isBlank() || key.length() > 255) {
            throw KinoraException.badRequest("invalid_idempotency_key", "Idempotency-Key must be 1–255 characters.");
        }
        String scope = auth.optionalUser(ctx).orElseGet(() -> "anonymous:" + ForwardedHeaders.clientIp(ctx));
        String hash = hash(ctx);
        Optional<IdempotencyRepository.Entry> existing = store.claim(scope, key, ctx.method().name(), ctx.path(), hash);
        if (existing.isEmpty()) {
            ctx.attribute(CLAIM, new Claim(scope, key));
            return;
        }
        IdempotencyRepository.Entry e = existing.get();
        if (!e.method().equals(ctx.method().name()) || !e.path().equals(ctx.path()) || !e.requestHash().equals(hash)) {
            throw new KinoraException(ErrorKind.UNPROCESSABLE, "idempotency_key_reused",
                    "This Idempotency-Key was already used for a different request; use a new key for each new request.");
        }
        if (e.status() == null) {
            throw new KinoraException(ErrorKind.CONFLICT, "idempotency_request_in_progress",
                    "The first request with this Idempotency-Key is still running; retry in a moment.",
                    Map.of("retry_after_seconds", 1));
        }
        e.headers().forEach(ctx::header);
        ctx.header("Idempotent-Replayed", "true");
        ctx.status(e.status());
        if (e.contentType() != null) ctx.contentType(e.contentType());
        ctx.result(e.body() == null ? new byte[0] : e.body());
        ctx.skipRemainingHandlers();
    }

    private void after(Context ctx) {
        Claim claim = ctx.attribute(CLAIM);
        if (claim == null) return;
        int status = ctx.statusCode();
        if (status >= 500) {
            store.release(claim.scope(), claim.key());
            return;
        }
        String body = ctx.result();
        Map<String, String> headers = new LinkedHashMap<>();
        String location = ctx.res().getHeader("Location");
        if (location != null) headers.put("Location", location);
        String retry = ctx.res().getHeader("Retry-After");
        if (retry != null) headers.put("Retry-After", retry);
        store.complete(claim.scope(), claim.key(), status, ctx.res().getContentType(),
                body == null ? null : body.getBytes(StandardCharsets.UTF_8), headers);
    }

    private static String hash(Context ctx) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(ctx.bodyAsBytes());
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
