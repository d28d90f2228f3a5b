package org.kinora.server.http;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * RFC 9110 HTTP-date, as used by Upload-Expires, Last-Modified and If-Modified-Since.
 * Senders must write IMF-fixdate ({@code Wed, 02 Dec 2026 07:00:00 GMT}: two-digit day, English
 * names, GMT); {@link DateTimeFormatter#RFC_1123_DATE_TIME} writes {@code Wed, 2 Dec 2026} on days
 * 1–9, which strict parsers reject. Recipients must also accept the two obsolete forms.
 */
public final class HttpDates {
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    /** RFC 850: {@code Sunday, 06-Nov-94 08:49:37 GMT}; a two-digit year is read as 1970–2069. */
    private static final DateTimeFormatter RFC_850 = new DateTimeFormatterBuilder()
            .appendPattern("EEEE, dd-MMM-")
            .appendValueReduced(ChronoField.YEAR, 2, 2, 1970)
            .appendPattern(" HH:mm:ss 'GMT'")
            .toFormatter(Locale.ENGLISH);
    /** asctime: {@code Sun Nov  6 08:49:37 1994}, the day padded with a space. */
    private static final DateTimeFormatter ASCTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ENGLISH);

    /** The last date written, by second: the media listeners write a file's Last-Modified on every request. */
    private record Formatted(long epochSecond, String text) {}

    private static volatile Formatted last = new Formatted(Long.MIN_VALUE, "");

    private HttpDates() {}

    public static String format(Instant instant) {
        Formatted f = last;
        if (f.epochSecond() == instant.getEpochSecond()) return f.text();
        String text = IMF_FIXDATE.format(instant);
        last = new Formatted(instant.getEpochSecond(), text);
        return text;
    }

    /** The instant an HTTP-date names, or empty if the text is none of the three forms (the header is then ignored). */
    public static Optional<Instant> parse(String text) {
        if (text == null) return Optional.empty();
        String value = text.strip();
        try {
            return Optional.of(Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(value)));
        } catch (DateTimeParseException notImf) {
            // try the obsolete forms
        }
        for (DateTimeFormatter obsolete : List.of(RFC_850, ASCTIME)) {
            try {
                return Optional.of(LocalDateTime.parse(value, obsolete).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException ignored) {
                // next form
            }
        }
        return Optional.empty();
    }
}
