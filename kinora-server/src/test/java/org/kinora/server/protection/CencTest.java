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

    /**
     * cbcs: ffmpeg's demuxer (its own cbcs_scheme_decrypt, pattern from tenc v1, constant IV) decodes
     * the copy to exactly the clear frames; and, checked here by hand with javax.crypto, each slice
     * is encrypted as ISO/IEC 23001-7 says: NAL length, header and slice header clear, then of every
     * ten 16-byte blocks the first encrypted, chained from the constant IV, the rest clear.
     */
    @Test
    void cbcsCopiesDecryptToTheSameFramesWithThePatternAndClearSliceHeaders() throws Exception {
        Ffmpeg ffmpeg = Ffmpeg.bundled(Path.of("target", "tools").toAbsolutePath());
        cmaf(ffmpeg, "v", List.of("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30", "-t", "6", "-c:v", "libx264",
                "-preset", "veryfast", "-profile:v", "high", "-g", "60", "-bf", "2"));
        cmaf(ffmpeg, "audio", List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "6", "-c:a", "aac"));
        byte[] key = HexFormat.of().parseHex(KEY_HEX);
        byte[] iv = HexFormat.of().parseHex("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");
        int slicesChecked = 0;
        for (String rung : List.of("v", "audio")) {
            ByteArrayOutputStream c = new ByteArrayOutputStream();
            ByteArrayOutputStream p = new ByteArrayOutputStream();
            byte[] init = Files.readAllBytes(dir.resolve(rung).resolve("init.mp4"));
            byte[] protectedInit = Cenc.protectInit(init, KID, Cenc.Scheme.CBCS, iv);
            assertThat(new String(protectedInit, java.nio.charset.StandardCharsets.ISO_8859_1)).contains("schm\0\0\0\0cbcs");
            AvcSliceHeaders avc = Cenc.avcOf(init).orElse(null);
            assertThat(avc != null).as(rung + " has avcC").isEqualTo(rung.equals("v"));
            c.writeBytes(init);
            p.writeBytes(protectedInit);
            try (var segments = Files.list(dir.resolve(rung))) {
                for (Path s : segments.filter(f -> f.toString().endsWith(".m4s")).sorted().toList()) {
                    byte[] seg = Files.readAllBytes(s);
                    byte[] enc = Cenc.protectSegmentCbcs(seg, key, iv, avc);
                    assertThat(Cenc.protectSegmentCbcs(seg, key, iv, avc)).isEqualTo(enc);
                    if (avc != null) slicesChecked += checkPattern(mdat(seg), mdat(enc), avc, key, iv);
                    c.writeBytes(seg);
                    p.writeBytes(enc);
                }
            }
            Path clear = dir.resolve(rung + "-clear.mp4");
            Path protectedCopy = dir.resolve(rung + "-cbcs.mp4");
            Files.write(clear, c.toByteArray());
            Files.write(protectedCopy, p.toByteArray());
            assertThat(md5(ffmpeg, List.of("-decryption_key", KEY_HEX, "-i", protectedCopy.toString())))
                    .as(rung).isEqualTo(md5(ffmpeg, List.of("-i", clear.toString())));
        }
        assertThat(slicesChecked).as("slices checked").isGreaterThan(100);
    }

    /** Walks the clear and protected mdat side by side (samples keep their places): returns the slices seen. */
    private static int checkPattern(byte[] clear, byte[] enc, AvcSliceHeaders avc, byte[] key, byte[] iv) throws Exception {
        assertThat(enc).hasSameSizeAs(clear);
        int slices = 0;
        javax.crypto.Cipher cbc = javax.crypto.Cipher.getInstance("AES/CBC/NoPadding");
        for (int at = 0; at < clear.length; ) {
            int length = java.nio.ByteBuffer.wrap(clear, at, 4).getInt();
            int nal = at + 4, end = nal + length;
            if (!AvcSliceHeaders.isSlice(clear[nal])) {
                assertThat(java.util.Arrays.copyOfRange(enc, at, end)).as("a non-slice NAL unit stays clear").isEqualTo(java.util.Arrays.copyOfRange(clear, at, end));
            } else {
                slices++;
                int from = nal + avc.headerSize(clear, nal, end);
                assertThat(from).as("at least the NAL header and a slice header byte are clear").isGreaterThan(nal + 1);
                assertThat(java.util.Arrays.copyOfRange(enc, at, from)).isEqualTo(java.util.Arrays.copyOfRange(clear, at, from));
                cbc.init(javax.crypto.Cipher.DECRYPT_MODE, new javax.crypto.spec.SecretKeySpec(key, "AES"), new javax.crypto.spec.IvParameterSpec(iv));
                for (int b = from, i = 0; b < end; b += 16, i++) {
                    byte[] e = java.util.Arrays.copyOfRange(enc, b, Math.min(b + 16, end));
                    byte[] plain = java.util.Arrays.copyOfRange(clear, b, Math.min(b + 16, end));
                    if (i % 10 == 0 && e.length == 16) {
                        assertThat(cbc.update(e)).as("block %d of a slice decrypts", i).isEqualTo(plain);
                    } else {
                        assertThat(e).as("block %d of a slice is clear", i).isEqualTo(plain);
                    }
                }
            }
            at = end;
        }
        return slices;
    }

    private static byte[] mdat(byte[] segment) {
        for (Cenc.Box b : Cenc.boxes(segment, 0, segment.length)) {
            if (b.type().equals("mdat")) return java.util.Arrays.copyOfRange(segment, b.bodyStart(), b.end());
        }
        throw new AssertionError("no mdat");
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
