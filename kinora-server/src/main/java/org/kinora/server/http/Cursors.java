package org.kinora.server.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.kinora.core.common.KinoraException;

/**
 * Opaque cursors for keyset pagination: the fields of the last item returned, joined and
 * base64url-encoded. Clients pass them back untouched; a damaged one is a clear 400.
 */
public final class Cursors {
    private Cursors() {}

    public static String encode(Object... fields) {
        StringBuilder b = new StringBuilder();
        for (Object f : fields) {
            if (!b.isEmpty()) b.append('\n');
            b.append(f instanceof Instant t ? t.getEpochSecond() + "." + t.getNano() : String.valueOf(f));
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor's fields; exactly {@code count} of them or a 400. */
    public static List<String> decode(String cursor, int count) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\n", -1);
            if (parts.length != count) throw new IllegalArgumentException();
            return List.of(parts);
        } catch (RuntimeException e) {
            throw invalid();
        }
    }

    public static Instant instant(String field) {
        try {
            int dot = field.indexOf('.');
            return Instant.ofEpochSecond(Long.parseLong(field.substring(0, dot)), Long.parseLong(field.substring(dot + 1)));
        } catch (RuntimeException e) {
            throw invalid();
        }
    }

    public static int integer(String field) {
        try {
            return Integer.parseInt(field);
        } catch (RuntimeException e) {
            throw invalid();
        }
    }

    private static KinoraException invalid() {
        return KinoraException.badRequest("invalid_cursor", "cursor is not one this API returned.");
    }
}
