package org.kinora.server.http;

import io.javalin.http.Context;
import java.util.Optional;
import org.kinora.core.common.KinoraException;

/** Query parameters shared by listings. */
public final class Params {
    private Params() {}

    /** {@code ?limit=}, between 1 and {@code max}; {@code fallback} when absent. */
    public static int limit(Context ctx, int fallback, int max) {
        String s = ctx.queryParam("limit");
        if (s == null || s.isBlank()) return fallback;
        try {
            int n = Integer.parseInt(s.trim());
            if (n >= 1 && n <= max) return n;
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw KinoraException.badRequest("invalid_limit", "limit must be between 1 and " + max + ".");
    }

    /** {@code ?cursor=} when present and not blank. */
    public static Optional<String> cursor(Context ctx) {
        return Optional.ofNullable(ctx.queryParam("cursor")).filter(s -> !s.isBlank());
    }
}
