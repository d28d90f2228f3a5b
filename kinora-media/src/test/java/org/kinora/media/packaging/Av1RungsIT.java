package org.kinora.media.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.media.TestTools;
import org.kinora.media.ffmpeg.Ffmpeg;
import org.kinora.media.ffmpeg.MediaInfo;
import org.kinora.media.ffmpeg.MediaProbe;
import org.kinora.media.ladder.Av1Ladder;
import org.kinora.media.ladder.LadderPlanner;
import org.kinora.media.ladder.Rung;

/**
 * An H.264 rung and its AV1 twin from one decode of a 6 s 426x240 clip, with the bundled ffmpeg's
 * SVT-AV1: the AV1 segments decode, start on keyframes at the H.264 rung's instants, and the
 * CODECS string the manifests give is the one the init segment's av1C box describes.
 */
@Timeout(300)
class Av1RungsIT {
    @TempDir
    static Path dir;
    static final Ffmpeg ffmpeg = TestTools.ffmpeg();
    static MediaInfo info;
    static Rung av1;
    static CmafOutput output;

    @BeforeAll
    static void encode() {
        Path source = dir.resolve("source.mp4");
        ffmpeg.runFfmpeg(List.of("-v", "error", "-f", "lavfi", "-i", "testsrc2=s=426x240:r=30:d=6",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:d=6",
                "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest", source.toString()));
        info = new MediaProbe(ffmpeg).probe(source);
        List<Rung> h264 = new LadderPlanner().plan(info);
        av1 = new Av1Ladder(true, Set.of(), Av1Ladder.DEFAULT_PRESET).plan(h264, info.frameRate()).getFirst();
        output = new CmafEncoder(ffmpeg, "ultrafast").encode(source, info, List.of(h264.getFirst(), av1), true,
                dir.resolve("out"), p -> { });
    }

    @Test
    void theAv1SegmentsDecodeFrameByFrameThroughTheMaster() throws Exception {
        Path master = dir.resolve("out/master.m3u8");
        Files.writeString(master, HlsMasterPlaylist.render(output.video(), output.audio()));
        String streams = ffmpeg.runFfprobe(List.of("-v", "error", "-show_entries", "stream=codec_name,width,height",
                "-of", "csv=p=0", master.toString()));
        assertThat(streams).contains("h264,426,240").contains("av1,426,240").contains("aac");
        // Every frame of the AV1 rendition decodes (ffprobe -count_frames decodes them all).
        String frames = ffmpeg.runFfprobe(List.of("-v", "error", "-count_frames", "-select_streams", "v:0",
                "-show_entries", "stream=codec_name,nb_read_frames", "-of", "csv=p=0",
                dir.resolve("out/240p-av1/index.m3u8").toString()));
        // The HLS demuxer reports the stream twice (program and stream sections).
        assertThat(frames.lines().filter(l -> !l.isBlank()).distinct().toList()).containsExactly("av1,180");
    }

    @Test
    void av1SegmentsStartOnKeyframesAtTheH264RungsInstants() {
        assertThat(keyframeTimes("240p-av1")).isEqualTo(keyframeTimes("240p")).hasSize(2);
        VideoRendition rendition = output.video().get(1);
        assertThat(rendition.playlist().segments()).hasSize(2);
        assertThat(rendition.playlist().peakBitsPerSecond()).isPresent();
    }

    @Test
    void theCodecsStringIsWhatTheInitSegmentsAv1ConfigurationSays() throws Exception {
        byte[] init = Files.readAllBytes(dir.resolve("out/240p-av1/init.mp4"));
        assertThat(av1.codecs()).isEqualTo("av01.0.00M.08").isEqualTo(av1ConfigCodecs(init));
    }

    /** av01.P.LLT.DD from the av1C box (AV1 ISOBMFF binding, 2.3.3): profile, level, tier and bit depth. */
    static String av1ConfigCodecs(byte[] init) {
        String text = new String(init, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("av1C");
        assertThat(at).as("an av1C box").isPositive();
        int b1 = init[at + 5] & 0xff;
        int b2 = init[at + 6] & 0xff;
        int profile = b1 >> 5;
        int level = b1 & 0x1f;
        boolean highTier = (b2 & 0x80) != 0;
        int depth = (b2 & 0x40) == 0 ? 8 : (b2 & 0x20) != 0 ? 12 : 10;
        return String.format(Locale.ROOT, "av01.%d.%02d%s.%02d", profile, level, highTier ? "H" : "M", depth);
    }

    private static List<String> keyframeTimes(String rung) {
        String csv = ffmpeg.runFfprobe(List.of("-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts_time,flags",
                "-of", "csv=p=0", dir.resolve("out").resolve(rung).resolve("index.m3u8").toString()));
        return csv.lines().filter(l -> l.contains("K")).map(l -> l.split(",")[0]).toList();
    }
}
