package org.kinora.media.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kinora.media.ffmpeg.MediaInfo;

/** The decision whether the first pass may copy the source's video stream (pure; {@code SourceCopyIT} runs it on files). */
@Timeout(10)
class SourceCopyTest {
    private static final MediaInfo INFO = new MediaInfo(30.0, 1920, 1080, 30, true, "h264", "aac", "mov,mp4,m4a,3gp,3g2,mj2", 60_000_000, null);

    /** The bench's source: H.264 High 4.0, 16 Mb/s, GOP 60 at 30 fps: a keyframe on every 4 s boundary. */
    private static SourceCopy.Facts phone() {
        return new SourceCopy.Facts("h264", "High", 40, "yuv420p", "progressive", 16_000_000, false, keyframes(0, 4, 8, 12, 16, 20, 24, 28), "1:1");
    }

    private static List<OptionalDouble> keyframes(double... times) {
        List<OptionalDouble> out = new ArrayList<>();
        for (double t : times) out.add(OptionalDouble.of(t));
        return out;
    }

    private static SourceCopy.Facts with(SourceCopy.Facts f, String codec, String profile, int level, String pix, String field, long rate,
                                         boolean rotated, List<OptionalDouble> keys) {
        return new SourceCopy.Facts(codec == null ? f.codec() : codec, profile == null ? f.profile() : profile, level == 0 ? f.level() : level,
                pix == null ? f.pixelFormat() : pix, field == null ? f.fieldOrder() : field, rate == 0 ? f.bitRate() : rate, rotated,
                keys == null ? f.boundaryKeyframes() : keys, f.sampleAspectRatio());
    }

    private static SourceCopy.Facts withSar(String sar) {
        SourceCopy.Facts f = phone();
        return new SourceCopy.Facts(f.codec(), f.profile(), f.level(), f.pixelFormat(), f.fieldOrder(), f.bitRate(), f.rotated(),
                f.boundaryKeyframes(), sar);
    }

    @Test
    void anamorphicSourcesAreNotCopiedSinceTheMpdSaysSquarePixels() {
        // A DVD-style 720x576 16:9 source (SAR 64:45), and an HDV one (4:3): refused, saying why.
        for (String sar : List.of("64:45", "4:3", "40:33")) {
            SourceCopy.Decision d = SourceCopy.decide(withSar(sar), INFO, 20);
            assertThat(d.copy()).as(sar).isFalse();
            assertThat(d.reason()).contains("not square", sar, "sar=\"1:1\"");
        }
        // Square, or not said at all (ffprobe's 0:1, N/A or no field): players assume square pixels.
        for (String sar : List.of("1:1", "0:1", "N/A", "", "2:2")) {
            assertThat(SourceCopy.decide(withSar(sar), INFO, 20).copy()).as(sar).isTrue();
        }
    }

    @Test
    void aPhoneLikeH264SourceWithAKeyframeOnEveryBoundaryIsCopied() {
        SourceCopy.Decision d = SourceCopy.decide(phone(), INFO, 20);
        assertThat(d.copy()).as(d.reason()).isTrue();
        assertThat(d.reason()).contains("High 4.0", "16.0 Mb/s", "8 segment boundaries");
        // Within half a frame is on the boundary (container timestamps are rounded).
        assertThat(SourceCopy.decide(with(phone(), null, null, 0, null, null, 0, false, keyframes(0, 4.01, 8, 12, 16, 20, 24, 27.99)), INFO, 20).copy()).isTrue();
    }

    @Test
    void aKeyframeMissingOnOneBoundaryFallsBackAndSaysWhere() {
        // x264's default GOP of 250 frames: keyframes at 0 and 8.33 s; the seek to 4 s finds the one at 0.
        SourceCopy.Decision d = SourceCopy.decide(with(phone(), null, null, 0, null, null, 0, false,
                keyframes(0, 0, 0, 8.333, 8.333, 16.667, 16.667, 25)), INFO, 20);
        assertThat(d.copy()).isFalse();
        assertThat(d.reason()).contains("no keyframe at 4 s", "0.000 s");
        // Off by more than half a frame (1/60 s at 30 fps) is not on the boundary.
        assertThat(SourceCopy.decide(with(phone(), null, null, 0, null, null, 0, false, keyframes(0, 4.02, 8, 12, 16, 20, 24, 28)), INFO, 20).copy()).isFalse();
        // A boundary the probe found no keyframe for at all, or a short list, is not copied either.
        List<OptionalDouble> missing = new ArrayList<>(phone().boundaryKeyframes());
        missing.set(3, OptionalDouble.empty());
        assertThat(SourceCopy.decide(with(phone(), null, null, 0, null, null, 0, false, missing), INFO, 20).reason()).contains("no keyframe at 12 s");
        assertThat(SourceCopy.decide(with(phone(), null, null, 0, null, null, 0, false, keyframes(0, 4, 8)), INFO, 20).reason())
                .contains("3 of 8 segment boundaries");
    }

    @Test
    void whatBrowsersCannotPlayAsItIsIsEncoded() {
        assertThat(SourceCopy.decide(with(phone(), "hevc", null, 0, null, null, 0, false, null), INFO, 20).reason()).contains("hevc");
        assertThat(SourceCopy.decide(with(phone(), null, "High 10", 0, "yuv420p10le", null, 0, false, null), INFO, 20).reason()).contains("yuv420p10le");
        assertThat(SourceCopy.decide(with(phone(), null, "High 4:4:4 Predictive", 0, null, null, 0, false, null), INFO, 20).reason()).contains("profile");
        assertThat(SourceCopy.decide(with(phone(), null, "Baseline", 0, null, null, 0, false, null), INFO, 20).copy()).isFalse();
        assertThat(SourceCopy.decide(with(phone(), null, null, 52, null, null, 0, false, null), INFO, 20).reason()).contains("5.2");
        assertThat(SourceCopy.decide(with(phone(), null, null, 51, null, null, 0, false, null), INFO, 20).copy()).isTrue();
        assertThat(SourceCopy.decide(with(phone(), null, null, 0, null, "tt", 0, false, null), INFO, 20).reason()).contains("interlaced");
        assertThat(SourceCopy.decide(with(phone(), null, null, 0, null, null, 0, true, null), INFO, 20).reason()).contains("rotated");
        assertThat(SourceCopy.decide(with(phone(), null, "Main", 0, null, null, 0, false, null), INFO, 20).copy()).isTrue();
        assertThat(SourceCopy.decide(with(phone(), null, "Constrained Baseline", 0, null, null, 0, false, null), INFO, 20).copy()).isTrue();
    }

    @Test
    void theRateCapDecidesAndZeroTurnsCopyingOff() {
        assertThat(SourceCopy.decide(with(phone(), null, null, 0, null, null, 25_000_000, false, null), INFO, 20).reason())
                .contains("25.0 Mb/s", "transcode.source-copy-max-mbps = 20");
        assertThat(SourceCopy.decide(with(phone(), null, null, 0, null, null, 25_000_000, false, null), INFO, 30).copy()).isTrue();
        assertThat(SourceCopy.decide(phone(), INFO, 0).reason()).contains("transcode.source-copy-max-mbps is 0");
        assertThat(SourceCopy.decide(with(phone(), null, null, 0, null, null, -1, false, null), INFO, 20).reason()).contains("unknown");
    }

    @Test
    void theCopiedSegmentsAreCheckedAfterTheFactAtTheFirstThatIsNot4s() {
        assertThat(SourceCopy.firstMisaligned(List.of(4.0, 4.0, 4.0, 2.5), true, 30)).isEqualTo(-1);
        assertThat(SourceCopy.firstMisaligned(List.of(4.0, 4.0, 4.01), false, 30)).isEqualTo(-1);
        // Growing: a listed 2.5 s segment that is not the finished rendition's last means a keyframe was missing.
        assertThat(SourceCopy.firstMisaligned(List.of(4.0, 4.0, 2.5), false, 30)).isEqualTo(2);
        assertThat(SourceCopy.firstMisaligned(List.of(4.0, 8.333, 4.0), true, 30)).isEqualTo(1);
        assertThat(SourceCopy.firstMisaligned(List.of(4.0, 4.0, 5.0), true, 30)).isEqualTo(2);
    }

    @Test
    void theBoundariesAreEvery4sBeforeTheEndAndTheGraceCoversAViewerWatchingToTheEnd() {
        assertThat(SourceCopy.boundaries(30)).containsExactly(0, 4, 8, 12, 16, 20, 24, 28);
        assertThat(SourceCopy.boundaries(8)).containsExactly(0, 4);
        assertThat(SourceCopy.grace(600)).isEqualTo(java.time.Duration.ofMinutes(80));
    }

    @Test
    void theAudioIsCopiedOnlyWhenItIsWhatKinoraWouldWrite() {
        assertThat(SourceCopy.decideAudio(new SourceCopy.AudioFacts("aac", "LC", 48_000, 2, 128_000)).copy()).isTrue();
        assertThat(SourceCopy.decideAudio(new SourceCopy.AudioFacts("aac", "LC", 48_000, 2, 192_000)).copy()).isTrue();
        assertThat(encodedBecause(new SourceCopy.AudioFacts("aac", "LC", 48_000, 2, 256_000))).contains("256 kb/s");
        assertThat(encodedBecause(new SourceCopy.AudioFacts("aac", "LC", 44_100, 2, 128_000))).contains("44100 Hz");
        assertThat(encodedBecause(new SourceCopy.AudioFacts("aac", "LC", 48_000, 1, 64_000))).contains("1 channels");
        assertThat(encodedBecause(new SourceCopy.AudioFacts("aac", "HE-AAC", 48_000, 2, 64_000))).contains("HE-AAC");
        assertThat(encodedBecause(new SourceCopy.AudioFacts("opus", "", 48_000, 2, 128_000))).contains("opus");
        assertThat(encodedBecause(new SourceCopy.AudioFacts("aac", "LC", 48_000, 2, 0))).contains("unknown");
    }

    /** The reason the audio is encoded, after checking that it is not copied. */
    private static String encodedBecause(SourceCopy.AudioFacts facts) {
        SourceCopy.Decision d = SourceCopy.decideAudio(facts);
        assertThat(d.copy()).as(d.reason()).isFalse();
        return d.reason();
    }

    @Test
    void aLongVideoIsProbedAtItsFirst16BoundariesAndAt48SpreadOverTheRestTheLastIncluded() {
        assertThat(SourceCopy.probedBoundaries(256)).isEqualTo(SourceCopy.boundaries(256)); // 64 boundaries: all
        for (double seconds : List.of(260.0, 600.0, 7200.0, 36_000.0)) {
            List<Integer> all = SourceCopy.boundaries(seconds);
            List<Integer> probed = SourceCopy.probedBoundaries(seconds);
            assertThat(probed).as(seconds + " s").hasSizeLessThanOrEqualTo(64).startsWith(all.subList(0, 16).toArray(Integer[]::new))
                    .endsWith(all.getLast()).isSorted().doesNotHaveDuplicates();
            assertThat(all).containsAll(probed);
        }
        assertThat(SourceCopy.probedBoundaries(7200)).hasSize(64);
        // A 10-minute phone video's decision names how many boundaries it probed of how many.
        MediaInfo tenMinutes = new MediaInfo(600.0, 1920, 1080, 30, true, "h264", "aac", "mov,mp4,m4a,3gp,3g2,mj2", 60_000_000, null);
        List<OptionalDouble> keys = SourceCopy.probedBoundaries(600).stream().map(b -> OptionalDouble.of(b)).toList();
        SourceCopy.Decision d = SourceCopy.decide(with(phone(), null, null, 0, null, null, 0, false, keys), tenMinutes, 20);
        assertThat(d.copy()).as(d.reason()).isTrue();
        assertThat(d.reason()).contains("64 segment boundaries probed (of 150");
        List<OptionalDouble> late = new ArrayList<>(keys);
        late.set(40, OptionalDouble.of(SourceCopy.probedBoundaries(600).get(40) - 2.0));
        assertThat(SourceCopy.decide(with(phone(), null, null, 0, null, null, 0, false, late), tenMinutes, 20).copy()).isFalse();
    }
}
