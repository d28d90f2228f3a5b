package org.kinora.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kinora.core.common.KinoraException;

@Timeout(60)
class CursorsTest {
    @Test
    void fieldsSurviveTheRoundTripWithNanosecondInstants() {
        Instant t = Instant.parse("2026-11-21T10:15:30.123456789Z");
        List<String> f = Cursors.decode(Cursors.encode(7, t, "abc_-XYZ"), 3);
        assertThat(Cursors.integer(f.get(0))).isEqualTo(7);
        assertThat(Cursors.instant(f.get(1))).isEqualTo(t);
        assertThat(f.get(2)).isEqualTo("abc_-XYZ");
    }

    @Test
    void damagedCursorsAreA400() {
        assertThatThrownBy(() -> Cursors.decode("%%%", 2)).isInstanceOfSatisfying(KinoraException.class,
                e -> assertThat(e.code()).isEqualTo("invalid_cursor"));
        assertThatThrownBy(() -> Cursors.decode(Cursors.encode("a", "b", "c"), 2)).isInstanceOf(KinoraException.class);
        assertThatThrownBy(() -> Cursors.instant("yesterday")).isInstanceOf(KinoraException.class);
    }
}
