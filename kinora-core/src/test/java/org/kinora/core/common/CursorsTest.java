package org.kinora.core.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class CursorsTest {
    @Test
    void fieldsSurviveTheRoundTripWithNanosecondInstants() {
        Instant t = Instant.parse("2026-11-21T10:15:30.123456789Z");
        Cursors.Fields f = Cursors.decode(Cursors.encode(7, t, "abc_-XYZ", 9_000_000_000L), 4);
        assertThat(f.integer(0)).isEqualTo(7);
        assertThat(f.instant(1)).isEqualTo(t);
        assertThat(f.text(2)).isEqualTo("abc_-XYZ");
        assertThat(f.longValue(3)).isEqualTo(9_000_000_000L);
    }

    @Test
    void aCursorIsOpaqueUrlSafeText() {
        String c = Cursors.encode(Instant.parse("2026-11-21T10:15:30Z"), "v1_Ab-9");
        assertThat(c).matches("[A-Za-z0-9_-]+").doesNotContain("v1_Ab-9");
    }

    @Test
    void damagedCursorsAreA400() {
        assertBad(() -> Cursors.decode("%%%", 2));
        assertBad(() -> Cursors.decode(Cursors.encode("a", "b", "c"), 2));
        assertBad(() -> Cursors.decode(Cursors.encode("yesterday", "v1"), 2).instant(0));
        assertBad(() -> Cursors.decode(Cursors.encode("seven"), 1).integer(0));
        assertBad(() -> Cursors.decode(Cursors.encode(""), 1).text(0));
        assertBad(() -> Cursors.parse("1e", Long::valueOf));
    }

    private static void assertBad(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(KinoraException.class, e -> {
            assertThat(e.code()).isEqualTo("invalid_cursor");
            assertThat(e.getMessage()).contains("drop it to start from the first page");
        });
    }
}
