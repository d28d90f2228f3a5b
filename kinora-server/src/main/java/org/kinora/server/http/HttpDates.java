package org.kinora.server.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** RFC 9110 HTTP-date, as used by Upload-Expires and Last-Modified. */
public final class HttpDates {
    private HttpDates() {}

    public static String format(Instant instant) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atZone(ZoneOffset.UTC));
    }
}
