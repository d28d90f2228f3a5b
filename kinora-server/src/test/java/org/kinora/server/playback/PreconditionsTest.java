package org.kinora.server.playback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PreconditionsTest {
    private static final String ETAG = "\"1f4-18d2\"";
    private static final Instant MODIFIED = Instant.parse("2026-12-02T07:00:00.700Z");

    @Test
    void weakAndListedEntityTagsMatchByWeakComparison() {
        assertThat(Preconditions.notModified(ETAG, null, ETAG, MODIFIED)).isTrue();
        assertThat(Preconditions.notModified("W/" + ETAG, null, ETAG, MODIFIED)).isTrue();
        assertThat(Preconditions.notModified(ETAG, null, "W/" + ETAG, MODIFIED)).isTrue();
        assertThat(Preconditions.notModified("\"a\", W/\"b\" ," + ETAG, null, ETAG, MODIFIED)).isTrue();
        assertThat(Preconditions.notModified("*", null, ETAG, MODIFIED)).isTrue();
        assertThat(Preconditions.notModified("\"a\", \"b\"", null, ETAG, MODIFIED)).isFalse();
        assertThat(Preconditions.notModified("W/\"1f4\"", null, ETAG, MODIFIED)).isFalse();
    }

    @Test
    void ifModifiedSinceCountsOnlyWithoutIfNoneMatch() {
        assertThat(Preconditions.notModified(null, "Wed, 02 Dec 2026 07:00:00 GMT", ETAG, MODIFIED)).isTrue();
        assertThat(Preconditions.notModified(null, "Thu, 03 Dec 2026 07:00:00 GMT", ETAG, MODIFIED)).isTrue();
        assertThat(Preconditions.notModified(null, "Wed, 02 Dec 2026 06:59:59 GMT", ETAG, MODIFIED)).isFalse();
        // An If-None-Match that does not match decides, even though the date alone would say 304.
        assertThat(Preconditions.notModified("\"other\"", "Thu, 03 Dec 2026 07:00:00 GMT", ETAG, MODIFIED)).isFalse();
        assertThat(Preconditions.notModified(null, "not a date", ETAG, MODIFIED)).isFalse();
        assertThat(Preconditions.notModified(null, null, ETAG, MODIFIED)).isFalse();
    }

    @Test
    void gzipIsAcceptedOnlyWithAPositiveWeight() {
        assertThat(AcceptEncoding.acceptsGzip("gzip, deflate, br")).isTrue();
        assertThat(AcceptEncoding.acceptsGzip("br;q=1.0, GZIP;q=0.5")).isTrue();
        assertThat(AcceptEncoding.acceptsGzip("*")).isTrue();
        assertThat(AcceptEncoding.acceptsGzip("gzip;q=0, *")).isFalse();
        assertThat(AcceptEncoding.acceptsGzip("identity")).isFalse();
        assertThat(AcceptEncoding.acceptsGzip("gzip;q=zero")).isFalse();
        assertThat(AcceptEncoding.acceptsGzip("")).isFalse();
        assertThat(AcceptEncoding.acceptsGzip(null)).isFalse();
    }
}
