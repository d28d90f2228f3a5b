package org.kinora.server.protection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.media.ffmpeg.Ffmpeg;

/**
 * The CENC files made at serve time are real Common Encryption: ffmpeg's own mp4 demuxer, given
 * the key, decodes every video and audio frame of the protected copy to exactly the frames of
 * the clear files the pipeline wrote; without the key it cannot decode them.
 */
@Timeout(120)
class CencTest {
    static final byte[] KID = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
    static final String KEY_HEX = "0f0e0d0c0b0a09080706050403020100";

    @TempDir
    Path dir;

    @Test
    void ffmpegDecryptsTheProtectedVideoAndAudioToTheSameFrames() throws Exception {
        Ffmpeg ffmpeg = Ffmpeg.bundled(Path.of("target", "tools").toAbsolutePath());
        // The pipeline's CMAF shape: ffmpeg's HLS muxer, fMP4 segments, one track per rung.
        cmaf(ffmpeg, "v", List.of("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30", "-t", "6", "-c:v", "libx264",
                "-preset", "ultrafast", "-g", "60"));
        cmaf(ffmpeg, "audio", List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "6", "-c:a", "aac"));
        for (String rung : List.of("v", "audio")) {
            Path clear = dir.resolve(rung + "-clear.mp4");
            Path protectedCopy = dir.resolve(rung + "-cenc.mp4");
            ByteArrayOutputStream c = new ByteArrayOutputStream();
            ByteArrayOutputStream p = new ByteArrayOutputStream();
            byte[] init = Files.readAllBytes(dir.resolve(rung).resolve("init.mp4"));
            c.writeBytes(init);
            p.writeBytes(Cenc.protectInit(init, KID));
            try (var segments = Files.list(dir.resolve(rung))) {
                for (Path s : segments.filter(f -> f.toString().endsWith(".m4s")).sorted().toList()) {
                    byte[] seg = Files.readAllBytes(s);
                    c.writeBytes(seg);
                    byte[] enc = Cenc.protectSegment(seg, HexFormat.of().parseHex(KEY_HEX), rung.equals("v"), rung + "/" + s.getFileName());
                    assertThat(enc).isNotEqualTo(seg);
                    // Deterministic: every node and request serve the same bytes (one cached copy).
                    assertThat(Cenc.protectSegment(seg, HexFormat.of().parseHex(KEY_HEX), rung.equals("v"), rung + "/" + s.getFileName())).isEqualTo(enc);
                    p.writeBytes(enc);
                }
            }
            Files.write(clear, c.toByteArray());
            Files.write(protectedCopy, p.toByteArray());
            assertThat(md5(ffmpeg, List.of("-decryption_key", KEY_HEX, "-i", protectedCopy.toString())))
                    .as(rung).isEqualTo(md5(ffmpeg, List.of("-i", clear.toString())));
            String wrongKey = "ff".repeat(16);
            assertThatThrownBy(() -> {
                String frames = md5(ffmpeg, List.of("-decryption_key", wrongKey, "-i", protectedCopy.toString()));
                if (!frames.equals(md5(ffmpeg, List.of("-i", clear.toString())))) throw new IllegalStateException("other frames");
            }).as("a wrong key gives no right frames").isInstanceOf(RuntimeException.class);
        }
    }

    @Test
    void aSegmentThatIsNoCmafFragmentIsRefusedWithTheReason() {
        assertThatThrownBy(() -> Cenc.protectSegment(new byte[] {0, 0, 0, 4, 'm', 'o', 'o', 'f'}, new byte[16], true, "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("moof");
    }

    private void cmaf(Ffmpeg ffmpeg, String rung, List<String> input) throws Exception {
        Files.createDirectories(dir.resolve(rung));
        List<String> args = new java.util.ArrayList<>(List.of("-v", "error", "-y"));
        args.addAll(input);
        args.addAll(List.of("-f", "hls", "-hls_time", "2", "-hls_playlist_type", "vod", "-hls_segment_type", "fmp4",
                "-hls_fmp4_init_filename", "init.mp4", "-hls_segment_filename", dir.resolve(rung).resolve("seg_%05d.m4s").toString(),
                "-start_number", "1", dir.resolve(rung).resolve("index.m3u8").toString()));
        ffmpeg.runFfmpeg(args);
    }

    private String md5(Ffmpeg ffmpeg, List<String> input) throws Exception {
        Path out = dir.resolve("frames-" + System.nanoTime() + ".md5");
        List<String> args = new java.util.ArrayList<>(List.of("-v", "error", "-y"));
        args.addAll(input);
        args.addAll(List.of("-map", "0", "-f", "md5", out.toString()));
        ffmpeg.runFfmpeg(args);
        return Files.readString(out).strip();
    }
}
