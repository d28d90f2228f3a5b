package org.kinora.core.common;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * The one codec of opaque cursors for keyset pagination: the fields of the last item returned
 * (its sort key and id, or a position), joined and base64url-encoded. Clients pass them back
 * untouched; a damaged one is a clear 400 ({@code invalid_cursor}), never a 500. Every listing
 * uses it, through {@link Page#of} to issue and {@link #decode} to read.
 *
 * <p>Fields may hold anything but a newline (ids, numbers, instants do not). Cursors are not
 * promised to stay valid across versions; a client holding an old one gets the 400 and starts
 * again from the first page.
 */
public final class Cursors {
    private static final String INVALID = "cursor is not one this API returned; drop it to start from the first page.";

    private Cursors() {}

    /** Instants keep their nanoseconds ({@code seconds.nanos}); anything else is written as {@code String.valueOf}. */
    public static String encode(Object... fields) {
        StringBuilder b = new StringBuilder();
        for (Object f : fields) {
            if (!b.isEmpty()) b.append('\n');
            b.append(f instanceof Instant t ? t.getEpochSecond() + "." + t.getNano() : String.valueOf(f));
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor's fields; exactly {@code count} of them or a 400. */
    public static Fields decode(String cursor, int count) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\n", -1);
            if (parts.length != count) throw new IllegalArgumentException();
            return new Fields(List.of(parts));
        } catch (RuntimeException e) {
            throw invalid();
        }
    }

    /** A decoded cursor; each reader answers a 400 when its field is not what was written. */
    public record Fields(List<String> values) {
        public String text(int i) {
            String v = values.get(i);
            if (v.isEmpty()) throw invalid();
            return v;
        }

        public Instant instant(int i) { return parse(values.get(i), Cursors::instant); }

        public int integer(int i) { return parse(values.get(i), Integer::parseInt); }

        public long longValue(int i) { return parse(values.get(i), Long::parseLong); }
    }

    /** {@code field} read by {@code parser}; a failure is the cursor's 400, not the parser's exception. */
    public static <T> T parse(String field, Function<String, T> parser) {
        try {
            return parser.apply(field);
        } catch (RuntimeException e) {
            throw invalid();
        }
    }

    private static Instant instant(String field) {
        int dot = field.indexOf('.');
        return Instant.ofEpochSecond(Long.parseLong(field.substring(0, dot)), Long.parseLong(field.substring(dot + 1)));
    }

    /** The 400 for a cursor this API did not issue (or no longer reads). */
    public static KinoraException invalid() {
        return KinoraException.badRequest("invalid_cursor", INVALID);
    }
}
