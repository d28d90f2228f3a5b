package org.kinora.server.playback;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.kinora.server.http.HttpDates;

/**
 * RFC 9110 §13.1.2 and §13.1.3 for GET and HEAD: whether the client's copy is current, so the
 * origin answers 304 instead of the body.
 */
public final class Preconditions {
    private Preconditions() {}

    /**
     * @param etag the ETag of the representation this response would carry, strong ({@code "x"}) or weak ({@code W/"x"})
     * @return true when the response should be 304 Not Modified
     */
    public static boolean notModified(String ifNoneMatch, String ifModifiedSince, String etag, Instant lastModified) {
        if (ifNoneMatch != null) {
            // If-None-Match wins: If-Modified-Since is ignored whenever it is present (§13.1.3).
            return noneMatchFails(ifNoneMatch, etag);
        }
        Optional<Instant> since = HttpDates.parse(ifModifiedSince);
        // HTTP-dates have whole seconds: a blob written at 12:00:00.700 is not newer than "12:00:00".
        return since.isPresent() && !lastModified.truncatedTo(ChronoUnit.SECONDS).isAfter(since.get());
    }

    /**
     * True when {@code *} or any listed entity-tag matches by weak comparison (§8.8.3.2): the
     * opaque tags are equal whether or not either is marked {@code W/}. GET and HEAD must use the
     * weak comparison, so a tag from a gzipped response (weak) still matches the plain one.
     */
    public static boolean noneMatchFails(String ifNoneMatch, String etag) {
        String current = opaque(etag);
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.equals("*") || (!tag.isEmpty() && opaque(tag).equals(current))) {
                return true;
            }
        }
        return false;
    }

    private static String opaque(String entityTag) {
        return entityTag.startsWith("W/") ? entityTag.substring(2) : entityTag;
    }
}
