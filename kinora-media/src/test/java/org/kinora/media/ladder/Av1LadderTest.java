package org.kinora.media.ladder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class Av1LadderTest {
    private final LadderPlanner planner = new LadderPlanner();

    @Test
    void offByDefaultAddsNothing() {
        assertThat(Av1Ladder.OFF.plan(planner.plan(1920, 1080, 30), 30)).isEmpty();
    }

    @Test
    void eachH264RungGetsAnAv1TwinOfTheSameSizeAtTheLowestFittingLevel() {
        List<Rung> av1 = new Av1Ladder(true, Set.of(), 10).plan(planner.plan(1920, 1080, 30), 30);
        assertThat(av1).extracting(Rung::name).containsExactly("240p-av1", "360p-av1", "480p-av1", "720p-av1", "1080p-av1");
        assertThat(av1).allMatch(Rung::isAv1);
        assertThat(av1).extracting(r -> r.width() + "x" + r.height())
                .containsExactly("426x240", "640x360", "854x480", "1280x720", "1920x1080");
        assertThat(av1).extracting(Rung::videoBitrateKbps).containsExactly(240, 480, 840, 1680, 3000);
        assertThat(av1).extracting(Rung::maxBitrateKbps).containsExactly(360, 720, 1260, 2520, 4500);
        // Picture size decides here: 426x240 fits 2.0 (512x288), 640x360 needs 2.1, 854x480 3.0,
        // 1280x720 3.1 (27.6 M samples/s of 31.9 M), 1920x1080 4.0.
        assertThat(av1).extracting(Rung::level).containsExactly("2.0", "2.1", "3.0", "3.1", "4.0");
        // av01.<profile>.<seq_level_idx><tier>.<bit depth>: seq_level_idx is (major-2)*4+minor.
        assertThat(av1).extracting(Rung::codecs)
                .containsExactly("av01.0.00M.08", "av01.0.01M.08", "av01.0.04M.08", "av01.0.05M.08", "av01.0.08M.08");
    }

    @Test
    void theFrameRateAndTheSizeRaiseTheLevel() {
        // 1080p60: 124 M luma samples/s exceed 4.0's 70.8 M; 4.1 allows 141.6 M.
        Rung hfr = new Av1Ladder(true, Set.of("1080p"), 10).plan(planner.plan(1920, 1080, 60), 60).getFirst();
        assertThat(hfr.level()).isEqualTo("4.1");
        assertThat(hfr.codecs()).isEqualTo("av01.0.09M.08");
        // 2160p30: 8.3 M samples a picture need level 5 (MaxPicSize 8,912,896).
        Rung uhd = new Av1Ladder(true, Set.of("2160p"), 10).plan(planner.plan(3840, 2160, 30), 30).getFirst();
        assertThat(uhd.codecs()).isEqualTo("av01.0.12M.08");
        // A rate cap above a level's Main tier maximum moves it up too.
        assertThat(Av1Level.lowestFitting(426, 240, 30, 2_000).name()).isEqualTo("2.1");
        assertThat(Av1Level.lowestFitting(426, 240, 30, 1_500).name()).isEqualTo("2.0");
    }

    @Test
    void onlyTheChosenRungsGetATwinAndPortraitKeepsItsShape() {
        List<Rung> av1 = new Av1Ladder(true, Set.of("720p", "1080p", "4320p"), 10).plan(planner.plan(1080, 1920, 30), 30);
        assertThat(av1).extracting(r -> r.name() + " " + r.width() + "x" + r.height())
                .containsExactly("720p-av1 720x1280", "1080p-av1 1080x1920");
        assertThat(av1).extracting(Rung::codecs).containsExactly("av01.0.05M.08", "av01.0.08M.08");
    }

    @Test
    void aPresetOutsideSvtAv1sRangeIsRefused() {
        assertThatThrownBy(() -> new Av1Ladder(true, Set.of(), 14)).hasMessageContaining("0 (slowest");
    }
}
