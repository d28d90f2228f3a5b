package org.kinora.media.ladder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class LadderPlannerTest {
    private final LadderPlanner planner = new LadderPlanner();

    private static List<String> sizes(List<Rung> rungs) {
        return rungs.stream().map(r -> r.name() + " " + r.width() + "x" + r.height()).toList();
    }

    @Test
    void landscape1080pGetsFiveRungsLowestFirst() {
        List<Rung> rungs = planner.plan(1920, 1080, 30);
        assertThat(sizes(rungs)).containsExactly(
                "240p 426x240", "360p 640x360", "480p 854x480", "720p 1280x720", "1080p 1920x1080");
        assertThat(rungs).extracting(Rung::videoBitrateKbps).containsExactly(400, 800, 1400, 2800, 5000);
        assertThat(rungs).extracting(Rung::maxBitrateKbps).containsExactly(600, 1200, 2100, 4200, 7500);
        // The lowest level each rung fits: 1080p30 (8,160 macroblocks, 244,800/s) is 4.0, not 4.2.
        assertThat(rungs).extracting(Rung::h264Level).containsExactly("2.1", "3.0", "3.1", "3.1", "4.0");
        assertThat(rungs).extracting(Rung::codecs)
                .containsExactly("avc1.640015", "avc1.64001e", "avc1.64001f", "avc1.64001f", "avc1.640028");
    }

    @Test
    void source720pStopsAt720p() {
        assertThat(sizes(planner.plan(1280, 720, 25)))
                .containsExactly("240p 426x240", "360p 640x360", "480p 854x480", "720p 1280x720");
    }

    @Test
    void source4kGetsAllSevenRungs() {
        List<Rung> rungs = planner.plan(3840, 2160, 30);
        assertThat(sizes(rungs)).endsWith("1440p 2560x1440", "2160p 3840x2160").hasSize(7);
        // 1440p30 needs 432,000 macroblocks/s (5.0); 2160p30 needs 972,000/s (5.1, not 5.2).
        assertThat(rungs.get(5).h264Level()).isEqualTo("5.0");
        assertThat(rungs.get(6).codecs()).isEqualTo("avc1.640033");
        assertThat(rungs.get(6).videoBitrateKbps()).isEqualTo(16000);
    }

    @Test
    void portraitIsMeasuredByTheShortSide() {
        assertThat(sizes(planner.plan(1080, 1920, 30))).containsExactly(
                "240p 240x426", "360p 360x640", "480p 480x854", "720p 720x1280", "1080p 1080x1920");
    }

    @Test
    void oddSizesRoundToEvenWithoutUpscaling() {
        assertThat(sizes(planner.plan(1918, 1080, 30))).containsExactly(
                "240p 426x240", "360p 640x360", "480p 852x480", "720p 1278x720", "1080p 1918x1080");
        // 641 * 360/360 rounds to 642, wider than the source: clamp to 640.
        assertThat(sizes(planner.plan(641, 360, 30))).containsExactly("240p 428x240", "360p 640x360");
    }

    @Test
    void tinySourceKeepsItsSize() {
        List<Rung> rungs = planner.plan(160, 120, 30);
        assertThat(sizes(rungs)).containsExactly("120p 160x120");
        assertThat(rungs.getFirst().videoBitrateKbps()).isBetween(100, 400);
        assertThat(sizes(planner.plan(175, 99, 30))).containsExactly("98p 174x98");
    }

    @Test
    void exactly240pIsOneRung() {
        assertThat(sizes(planner.plan(426, 240, 30))).containsExactly("240p 426x240");
        assertThat(sizes(planner.plan(427, 239, 30))).containsExactly("238p 426x238");
    }

    @Test
    void highFrameRateRaisesBitrateAndLevel() {
        List<Rung> rungs = planner.plan(1920, 1080, 60);
        assertThat(rungs).extracting(Rung::videoBitrateKbps).containsExactly(600, 1200, 2100, 4200, 7500);
        assertThat(rungs.getLast().maxBitrateKbps()).isEqualTo(11250);
        // 1080p60 = 8160 macroblocks x 60 = 489,600/s: still within 4.2.
        assertThat(rungs.getLast().h264Level()).isEqualTo("4.2");
        // 1080p120 needs 979,200 macroblocks/s: 5.1.
        Rung fast = planner.plan(1920, 1080, 120).getLast();
        assertThat(fast.h264Level()).isEqualTo("5.1");
        assertThat(fast.codecs()).isEqualTo("avc1.640033");
        // NTSC 29.97 is not "high frame rate".
        assertThat(planner.plan(1920, 1080, 29.97).getLast().videoBitrateKbps()).isEqualTo(5000);
    }

    @Test
    void tallPhoneVideoGetsALevelThatFitsItsFrameSize() {
        // 1080x2400: 68 x 150 = 10,200 macroblocks, over 4.2's 8,704.
        Rung top = planner.plan(1080, 2400, 30).getLast();
        assertThat(top.width() + "x" + top.height()).isEqualTo("1080x2400");
        assertThat(top.h264Level()).isEqualTo("5.0");
    }

    @Test
    void theLevelAlsoCoversTheVbvRateAndBuffer() {
        // 360p30 fits 3.0 by size and rate, but 3.0's High-profile MaxBR is 10,000 x 1250 = 12.5 Mb/s.
        assertThat(H264Level.lowestFitting(640, 360, 30, 12_500, 12_500).name()).isEqualTo("3.0");
        assertThat(H264Level.lowestFitting(640, 360, 30, 15_000, 12_500).name()).isEqualTo("3.1");
        // 1080p30 at 4.0's limits (25 Mb/s, 31.25 Mbit buffer), and just over the buffer.
        assertThat(H264Level.lowestFitting(1920, 1080, 30, 25_000, 31_250).name()).isEqualTo("4.0");
        assertThat(H264Level.lowestFitting(1920, 1080, 30, 25_000, 31_251).name()).isEqualTo("4.1");
        // 29.97 fps 1080p stays within 4.0; 1080p at 32 fps does not (261,120 macroblocks/s).
        assertThat(H264Level.lowestFitting(1920, 1080, 29.97, 7_500, 10_000).name()).isEqualTo("4.0");
        assertThat(H264Level.lowestFitting(1920, 1080, 32, 7_500, 10_000).name()).isEqualTo("4.2");
    }

    @Test
    void aVeryLongSideNeedsAHigherLevelThanItsAreaAlone() {
        // 4096x64: 256 x 4 = 1,024 macroblocks would fit 2.2's MaxFS, but a 256-macroblock side
        // exceeds sqrt(8 x 1620) = 113: the first level allowing it is 4.0 (sqrt(8 x 8192) = 256).
        assertThat(H264Level.lowestFitting(4096, 64, 10, 1_000, 1_000).name()).isEqualTo("4.0");
    }

    @Test
    void rejectsDegenerateSizes() {
        assertThatThrownBy(() -> planner.plan(0, 100, 30)).isInstanceOf(IllegalArgumentException.class);
    }
}
