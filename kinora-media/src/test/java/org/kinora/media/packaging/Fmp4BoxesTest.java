package org.kinora.media.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Box layouts as ffmpeg's mp4 muxer writes them for HLS fMP4 (checked against its output with a box dump). */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class Fmp4BoxesTest {
    @TempDir
    Path dir;

    private static byte[] box(String type, byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] p : parts) body.writeBytes(p);
        return ByteBuffer.allocate(8 + body.size()).putInt(8 + body.size()).put(type.getBytes(StandardCharsets.US_ASCII))
                .put(body.toByteArray()).array();
    }

    private static byte[] ints(int... values) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * 4);
        for (int v : values) buf.putInt(v);
        return buf.array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    @Test
    void readsTheTimescaleOfTheFirstTrack() {
        byte[] mdhdV0 = box("mdhd", ints(0, 0, 0, 15_360, 61_440, 0x55c40000));
        byte[] init = concat(box("ftyp", "iso6".getBytes(StandardCharsets.US_ASCII)),
                box("moov", box("mvhd", new byte[100]), box("trak", box("tkhd", new byte[84]), box("mdia", mdhdV0, box("hdlr", new byte[37])))));
        assertThat(Fmp4Boxes.timescale(init)).isEqualTo(15_360);

        byte[] mdhdV1 = box("mdhd", ints(0x01000000, 0, 0, 0, 0, 48_000, 0, 0, 0));
        assertThat(Fmp4Boxes.timescale(box("moov", box("trak", box("mdia", mdhdV1))))).isEqualTo(48_000);
        assertThatThrownBy(() -> Fmp4Boxes.timescale(box("ftyp", new byte[8]))).isInstanceOf(IllegalArgumentException.class);
    }

    /** styp, sidx, then moof + mdat with three samples of 1000, 200 and 300 bytes. */
    private static byte[] segment(boolean sampleSizes) {
        byte[] tfhd = box("tfhd", ints(0x20038, 1, 512, 700, 0x01010000)); // default-base-is-moof, duration, size, flags
        byte[] tfdt = box("tfdt", ints(0x01000000, 0, 0));
        int trunSize = 8 + 4 + 4 + 4 + 4 + (sampleSizes ? 12 : 0);
        int moofSize = 8 + 16 + 8 + tfhd.length + tfdt.length + trunSize;
        byte[] trun = sampleSizes
                ? box("trun", ints(0x205, 3, moofSize + 8, 0x02000000, 1000, 200, 300))
                : box("trun", ints(0x005, 3, moofSize + 8, 0x02000000));
        byte[] moof = box("moof", box("mfhd", ints(0, 1)), box("traf", tfhd, tfdt, trun));
        assertThat(moof.length).isEqualTo(moofSize);
        return concat(box("styp", new byte[16]), box("sidx", new byte[44]), moof, box("mdat", new byte[1500]));
    }

    @Test
    void theKeyframeRangeRunsFromTheMoofToTheEndOfTheFirstSample() throws Exception {
        byte[] bytes = segment(true);
        Path file = Files.write(dir.resolve("seg_00001.m4s"), bytes);
        Fmp4Boxes.Range range = Fmp4Boxes.firstSample(file);
        assertThat(range.offset()).isEqualTo(24 + 52);
        int moofSize = bytes.length - 76 - 1508;
        assertThat(range.length()).isEqualTo(moofSize + 8 + 1000);
    }

    @Test
    void withoutPerSampleSizesTheDefaultSizeCounts() throws Exception {
        byte[] bytes = segment(false);
        Fmp4Boxes.Range range = Fmp4Boxes.firstSample(Files.write(dir.resolve("seg.m4s"), bytes));
        int moofSize = bytes.length - 76 - 1508;
        assertThat(range.length()).isEqualTo(moofSize + 8 + 700); // tfhd default_sample_size
    }

    @Test
    void aFileWithoutAMoofIsRefused() throws Exception {
        Path file = Files.write(dir.resolve("not.m4s"), box("mdat", new byte[10]));
        assertThatThrownBy(() -> Fmp4Boxes.firstSample(file)).hasMessageContaining("no moof");
    }
}
