package org.kinora.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class HttpDatesTest {
    @Test
    void daysOneToNineKeepTheirLeadingZero() {
        for (int day = 1; day <= 9; day++) {
            Instant instant = Instant.parse("2026-12-0" + day + "T07:00:00Z");
            String formatted = HttpDates.format(instant);
            assertThat(formatted).matches("[A-Z][a-z]{2}, 0" + day + " Dec 2026 07:00:00 GMT");
            assertThat(HttpDates.parse(formatted)).contains(instant);
        }
        assertThat(HttpDates.format(Instant.parse("2026-12-02T07:00:00Z"))).isEqualTo("Wed, 02 Dec 2026 07:00:00 GMT");
        assertThat(HttpDates.format(Instant.parse("2026-01-31T23:59:59.999Z"))).isEqualTo("Sat, 31 Jan 2026 23:59:59 GMT");
    }

    @Test
    void readsTheObsoleteFormsAndIgnoresNonsense() {
        Instant rfcExample = Instant.parse("1994-11-06T08:49:37Z");
        assertThat(HttpDates.parse("Sun, 06 Nov 1994 08:49:37 GMT")).contains(rfcExample);
        assertThat(HttpDates.parse("Sunday, 06-Nov-94 08:49:37 GMT")).contains(rfcExample);
        assertThat(HttpDates.parse("Sun Nov  6 08:49:37 1994")).contains(rfcExample);
        assertThat(HttpDates.parse("yesterday")).isEmpty();
        assertThat(HttpDates.parse("")).isEmpty();
        assertThat(HttpDates.parse(null)).isEmpty();
    }
}
