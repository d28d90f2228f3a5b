package org.kinora.media.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.media.TestTools;
import org.kinora.media.packaging.CmafEncoder;
import org.kinora.media.packaging.Thumbnails;
import org.kinora.media.ladder.LadderPlanner;

/**
 * Uploads made to attack the worker, laid out as the local blob store keeps them: the attacker's
 * upload at {@code originals/att/source}, another creator's published files at
 * {@code videos/victim/...}. The victim files a manifest names are tripwires (FIFOs that notice
 * being opened), so "never read" is observed, not assumed.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class HostileInputIT {
    @TempDir
    static Path blobs;
    static final Ffmpeg ffmpeg = TestTools.ffmpeg();
    static Path upload;
    static Path victim;
    static Path clip;
    final MediaProbe probe = new MediaProbe(ffmpeg);

    @BeforeAll
    static void layOut() throws IOException {
        upload = Files.createDirectories(blobs.resolve("originals/att"));
        victim = Files.createDirectories(blobs.resolve("videos/victim/240p"));
        clip = blobs.resolve("clip.mp4");
        ffmpeg.runFfmpeg(List.of("-v", "error", "-f", "lavfi", "-i", "testsrc2=s=160x120:r=15:d=2",
                "-c:v", "libx264", "-preset", "ultrafast", clip.toString()));
    }

    @Test
    void aDashManifestNamingAnotherVideosFilesIsRefusedWithoutReadingThem() throws Exception {
        Path mpd = Files.writeString(upload.resolve("source"), mpd("PT2S", "../../videos/victim/240p/", SEGMENT_LIST));
        try (Tripwire init = new Tripwire(victim.resolve("init.mp4"), clip);
             Tripwire segment = new Tripwire(victim.resolve("seg_00001.m4s"), clip)) {
            assertThatThrownBy(() -> probe.probe(mpd))
                    .isInstanceOf(UnplayableMediaException.class)
                    .hasMessage("The file is an MPEG-DASH manifest, not a video file.");
            assertThat(init.wasOpened()).as("victim init.mp4 opened").isFalse();
            assertThat(segment.wasOpened()).as("victim segment opened").isFalse();
        }
    }

    /** The control: ffprobe given the path, as the worker used to run it, follows the manifest into the victim's files. */
    @Test
    void unrestrictedFfprobeFollowsTheManifestAndTheTripwireSeesIt() throws Exception {
        Path mpd = Files.writeString(upload.resolve("source"), mpd("PT2S", "../../videos/victim/240p/", SEGMENT_LIST));
        try (Tripwire init = new Tripwire(victim.resolve("init.mp4"), clip);
             Tripwire segment = new Tripwire(victim.resolve("seg_00001.m4s"), clip)) {
            try {
                ffmpeg.runFfprobe(List.of("-v", "error", "-show_format", mpd.toString()));
            } catch (FfmpegException e) {
                // reading a FIFO (no seeking) may fail; what matters is that it was opened
            }
            assertThat(init.wasOpened()).as("victim init.mp4 opened").isTrue();
        }
    }

    /** Named .m3u8, which is what makes ffmpeg 8 treat an HLS playlist given by path as one. */
    @Test
    void anHlsPlaylistNamingAnotherVideosFilesIsRefusedWithoutReadingThem() throws Exception {
        Path m3u8 = Files.writeString(upload.resolve("source.m3u8"), """
                #EXTM3U
                #EXT-X-VERSION:3
                #EXT-X-TARGETDURATION:2
                #EXT-X-PLAYLIST-TYPE:VOD
                #EXTINF:2.0,
                ../../videos/victim/240p/seg_00000.ts
                #EXT-X-ENDLIST
                """);
        Path ts = blobs.resolve("clip.ts");
        ffmpeg.runFfmpeg(List.of("-v", "error", "-i", clip.toString(), "-c", "copy", ts.toString()));
        try (Tripwire segment = new Tripwire(victim.resolve("seg_00000.ts"), ts)) {
            assertThatThrownBy(() -> probe.probe(m3u8))
                    .isInstanceOf(UnplayableMediaException.class)
                    .hasMessage("The file is an HLS playlist, not a video file.");
            assertThat(segment.wasOpened()).as("victim segment opened").isFalse();
        }
    }

    @Test
    void aConcatScriptIsRefusedWithoutReadingWhatItNames() throws Exception {
        Path script = Files.writeString(upload.resolve("source"), "ffconcat version 1.0\nfile ../../videos/victim/240p/other.mp4\n");
        try (Tripwire other = new Tripwire(victim.resolve("other.mp4"), clip)) {
            assertThatThrownBy(() -> probe.probe(script))
                    .isInstanceOf(UnplayableMediaException.class)
                    .hasMessage("The file is an ffmpeg concat script, not a video file.");
            assertThat(other.wasOpened()).isFalse();
        }
    }

    /**
     * The encoder does not trust the probe either: told that the manifest is an MP4, ffmpeg opens
     * it with the mov demuxer only and fails, instead of following it.
     */
    @Test
    void theEncoderOpensOnlyTheProbedContainerFromItsStdin() throws Exception {
        Path mpd = Files.writeString(upload.resolve("source"), mpd("PT2S", "../../videos/victim/240p/", SEGMENT_LIST));
        MediaInfo lie = new MediaInfo(2, 160, 120, 15, false, "h264", null, "mov,mp4,m4a,3gp,3g2,mj2", Files.size(mpd), null);
        try (Tripwire init = new Tripwire(victim.resolve("init.mp4"), clip);
             Tripwire segment = new Tripwire(victim.resolve("seg_00001.m4s"), clip)) {
            assertThatThrownBy(() -> new CmafEncoder(ffmpeg, "ultrafast").encode(mpd, lie,
                    new LadderPlanner().plan(lie), false, upload.resolve("out"), p -> { }))
                    .isInstanceOf(FfmpegException.class);
            assertThatThrownBy(() -> new Thumbnails(ffmpeg).poster(mpd, lie, upload.resolve("poster.jpg")))
                    .isInstanceOf(FfmpegException.class);
            assertThat(init.wasOpened()).isFalse();
            assertThat(segment.wasOpened()).isFalse();
        }
        MediaInfo dash = new MediaInfo(2, 160, 120, 15, false, "h264", null, "dash", 100, null);
        assertThatThrownBy(() -> UntrustedInput.arguments(dash)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * A QuickTime reference movie: its video track's samples are declared to live in another file
     * (a data reference of type {@code alis}, which is what ffmpeg's mov demuxer follows; it ignores
     * {@code url } entries), named by absolute path or relative to the upload's folder. Neither the
     * probe nor the poster may open it: the upload is read as {@code fd:} (no folder, only the
     * {@code fd} protocol) with {@code -enable_drefs 0 -use_absolute_path 0}. The probe refuses it:
     * the track has no readable picture.
     */
    @Test
    void aMovWhoseTrackLivesInAnotherVideosFileNeverOpensIt() throws Exception {
        Path mov = blobs.resolve("ref.mov");
        ffmpeg.runFfmpeg(List.of("-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=160x120:r=15:d=2",
                "-c:v", "libx264", "-preset", "ultrafast", mov.toString()));
        Path target = victim.resolve("init.mp4");
        // Absolute; and relative: from originals/att/ up two folders (nlvl_from 3) and down the last four parts of the path.
        Path absolute = withExternalReference(mov, upload.resolve("source"), target.toString(), 0, 0);
        Path relative = withExternalReference(mov, upload.resolve("source.mov"), "x/videos/victim/240p/init.mp4", 3, 4);
        for (Path file : List.of(absolute, relative)) {
            try (Tripwire wire = new Tripwire(target, clip)) {
                assertThatThrownBy(() -> probe.probe(file))
                        .isInstanceOf(UnplayableMediaException.class)
                        .hasMessageStartingWith("The video stream cannot be read: the file holds no picture of it. It may be a reference movie");
                // Told it is an ordinary MOV, the poster's ffmpeg finds no sample to decode either.
                MediaInfo lie = new MediaInfo(2, 160, 120, 15, false, "h264", null, "mov,mp4,m4a,3gp,3g2,mj2", Files.size(file), null);
                assertThatThrownBy(() -> new Thumbnails(ffmpeg).poster(file, lie, blobs.resolve("ref.jpg")))
                        .isInstanceOf(FfmpegException.class);
                assertThat(wire.wasOpened()).as("victim opened through " + file.getFileName()).isFalse();
            }
            // The control: the same file given by path with references allowed opens the victim, so the file is a working attack.
            try (Tripwire wire = new Tripwire(target, clip)) {
                try {
                    ffmpeg.runFfprobe(List.of("-v", "error", "-enable_drefs", "1", "-use_absolute_path", "1", "-show_format", file.toString()));
                } catch (FfmpegException e) {
                    // reading a FIFO may fail; what matters is that it was opened
                }
                assertThat(wire.wasOpened()).as("control: victim opened through " + file.getFileName()).isTrue();
            }
        }
    }

    /** One segment "played" for 1000 hours: ffprobe used to report 3,600,000 s and the worker to decode for days. */
    @Test
    void aLoopingManifestDeclaringAThousandHoursIsRefusedAtOnce() throws Exception {
        Files.copy(clip, victim.resolve("loop.mp4"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path mpd = Files.writeString(upload.resolve("source"), mpd("PT1000H", "../../videos/victim/240p/",
                "<SegmentTemplate timescale=\"1\" duration=\"2\" initialization=\"loop.mp4\" media=\"loop.mp4\"/>"));
        Instant start = Instant.now();
        assertThatThrownBy(() -> probe.probe(mpd))
                .isInstanceOf(UnplayableMediaException.class)
                .hasMessage("The file is an MPEG-DASH manifest, not a video file.");
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(20));
    }

    /** A real container can lie about its length too; the cap and the bytes-per-second floor catch it. */
    @Test
    void aContainerDeclaringAHugeDurationIsRefused() throws Exception {
        Path mkv = blobs.resolve("short.mkv");
        ffmpeg.runFfmpeg(List.of("-v", "error", "-y", "-i", clip.toString(), "-c", "copy", mkv.toString()));
        assertThat(probe.probe(mkv).durationSeconds()).isLessThan(3);

        Path thousandHours = withMatroskaDuration(mkv, "1000h.mkv", 1000 * 3600_000.0);
        assertThatThrownBy(() -> probe.probe(thousandHours))
                .isInstanceOf(UnplayableMediaException.class)
                .hasMessage("The video is 1000 h 00 min long; this server accepts videos up to 12 h 00 min.");

        Path elevenHours = withMatroskaDuration(mkv, "11h.mkv", 11 * 3600_000.0);
        assertThatThrownBy(() -> probe.probe(elevenHours))
                .isInstanceOf(UnplayableMediaException.class)
                .hasMessageStartingWith("The file declares 11 h 00 min of video but holds only " + Files.size(elevenHours) + " bytes");
    }

    @Test
    void aOneByOneVideoIsRefusedWithItsSize() {
        Path tiny = blobs.resolve("1x1.mkv");
        ffmpeg.runFfmpeg(List.of("-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=s=1x1:r=10:d=1", "-c:v", "ffv1", tiny.toString()));
        assertThatThrownBy(() -> probe.probe(tiny))
                .isInstanceOf(UnplayableMediaException.class)
                .hasMessage("The picture is 1x1 pixels; videos need at least 16 pixels on each side.");
    }

    @Test
    void oversizeDimensionsAndFrameRatesAreRefused() {
        Path big = blobs.resolve("big.avi");
        ffmpeg.runFfmpeg(List.of("-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=1200x900:r=5:d=1",
                "-c:v", "mjpeg", big.toString()));
        MediaLimits small = new MediaLimits(3600, 16, 1000, 1000L * 1000, 60, 2000, 6, Duration.ofMinutes(1));
        assertThatThrownBy(() -> new MediaProbe(ffmpeg, small).probe(big))
                .isInstanceOf(UnplayableMediaException.class)
                .hasMessageStartingWith("The picture is 1200x900 pixels; this server accepts at most 1000 pixels on a side");
        assertThat(probe.probe(big).width()).as("within the default limits").isEqualTo(1200);

        Path fast = blobs.resolve("fast.mkv");
        ffmpeg.runFfmpeg(List.of("-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=64x64:r=240:d=0.5",
                "-c:v", "libx264", "-preset", "ultrafast", fast.toString()));
        assertThatThrownBy(() -> probe.probe(fast))
                .isInstanceOf(UnplayableMediaException.class)
                .hasMessage("The video has 240 frames per second; this server accepts at most 120.");
    }

    @Test
    void realContainersAreStillReadFromStdin() throws Exception {
        for (String name : List.of("c.mp4", "c.mov", "c.mkv", "c.webm")) {
            Path file = blobs.resolve(name);
            String codec = name.endsWith(".webm") ? "libvpx" : "libx264";
            ffmpeg.runFfmpeg(List.of("-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=160x120:r=15:d=2",
                    "-c:v", codec, file.toString()));
            MediaInfo info = probe.probe(file);
            assertThat(info.width()).as(name).isEqualTo(160);
            Path poster = new Thumbnails(ffmpeg).poster(file, info, blobs.resolve(name + ".jpg"));
            assertThat(Files.size(poster)).as(name).isPositive();
        }
    }

    @Test
    void aDeadlineStopsEveryRunOfAJob() {
        Ffmpeg budgeted = ffmpeg.withDeadline(Instant.now().plusMillis(700));
        long start = System.nanoTime();
        // -re reads at real-time speed, so this would take 60 s.
        assertThatThrownBy(() -> budgeted.runFfmpeg(List.of("-re", "-f", "lavfi", "-i", "testsrc2=s=64x64:d=60", "-f", "null", "-")))
                .isInstanceOf(FfmpegTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThatThrownBy(() -> budgeted.runFfmpeg(List.of("-version")))
                .as("a run started after the deadline")
                .isInstanceOf(FfmpegTimeoutException.class);
    }

    /** Init and one media segment, both in the victim's folder. */
    private static final String SEGMENT_LIST = """
            <SegmentList duration="2" timescale="1">
              <Initialization sourceURL="init.mp4"/>
              <SegmentURL media="seg_00001.m4s"/>
            </SegmentList>""";

    /** An MPEG-DASH manifest of one video representation whose segments are found at {@code baseUrl}. */
    private static String mpd(String duration, String baseUrl, String segments) {
        return """
                <?xml version="1.0" encoding="utf-8"?>
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" profiles="urn:mpeg:dash:profile:isoff-live:2011" type="static"
                     mediaPresentationDuration="%s" minBufferTime="PT2S">
                  <Period>
                    <AdaptationSet mimeType="video/mp4">
                      <Representation id="v" bandwidth="100000" width="160" height="120" codecs="avc1.42c00d">
                        <BaseURL>%s</BaseURL>
                        %s
                      </Representation>
                    </AdaptationSet>
                  </Period>
                </MPD>
                """.formatted(duration, baseUrl, segments);
    }

    /** A copy whose Segment Info Duration (EBML id 0x4489, an 8-byte float in ms) says {@code millis}. */
    private static Path withMatroskaDuration(Path mkv, String name, double millis) throws IOException {
        byte[] bytes = Files.readAllBytes(mkv);
        int at = indexOf(bytes, new byte[] {0x44, (byte) 0x89, (byte) 0x88});
        assertThat(at).as("Duration element").isPositive();
        ByteBuffer.wrap(bytes, at + 3, 8).putDouble(millis);
        return Files.write(blobs.resolve(name), bytes);
    }

    /**
     * A copy of {@code mov} (moov after the media data, as ffmpeg writes it, so no chunk offset
     * moves) whose data reference "in this file" ({@code url } with flag 1) is replaced by a
     * Macintosh alias record naming {@code path}, laid out as mov.c's {@code mov_read_dref} reads
     * it; every enclosing box grows by the difference.
     */
    private static Path withExternalReference(Path mov, Path out, String path, int levelsFrom, int levelsTo) throws IOException {
        byte[] bytes = Files.readAllBytes(mov);
        List<Integer> chain = new java.util.ArrayList<>();
        int from = 0;
        int to = bytes.length;
        for (String type : List.of("moov", "trak", "mdia", "minf", "dinf", "dref")) {
            int box = box(bytes, from, to, type);
            chain.add(box);
            from = box + 8;
            to = box + ByteBuffer.wrap(bytes, box, 4).getInt();
        }
        assertThat(box(bytes, 0, chain.getFirst(), "mdat")).as("mdat before moov").isPositive();
        int dref = chain.getLast();
        int oldSize = ByteBuffer.wrap(bytes, dref, 4).getInt();
        byte[] name = path.getBytes(StandardCharsets.UTF_8);
        int entrySize = 12 + 150 + 4 + name.length + (name.length & 1) + 4;
        ByteBuffer entry = ByteBuffer.allocate(entrySize);
        entry.putInt(entrySize).put("alis".getBytes(StandardCharsets.US_ASCII)).putInt(0); // flags 0: not in this file
        // 150 bytes of alias header: 10 skipped, volume (length + 27), 12, file name (length + 63), 16, the levels, 16.
        entry.position(12 + 10 + 1 + 27 + 12).put((byte) 6).put("victim".getBytes(StandardCharsets.US_ASCII));
        entry.position(12 + 10 + 1 + 27 + 12 + 1 + 63 + 16).putShort((short) levelsFrom).putShort((short) levelsTo);
        entry.position(12 + 150).putShort((short) 2).putShort((short) name.length).put(name); // record type 2: the path
        if ((name.length & 1) == 1) entry.put((byte) 0);
        entry.putShort((short) -1).putShort((short) 0); // the end of the records
        ByteBuffer newDref = ByteBuffer.allocate(16 + entrySize);
        newDref.putInt(16 + entrySize).put("dref".getBytes(StandardCharsets.US_ASCII)).putInt(0).putInt(1).put(entry.array());
        int delta = newDref.capacity() - oldSize;
        byte[] result = new byte[bytes.length + delta];
        System.arraycopy(bytes, 0, result, 0, dref);
        System.arraycopy(newDref.array(), 0, result, dref, newDref.capacity());
        System.arraycopy(bytes, dref + oldSize, result, dref + newDref.capacity(), bytes.length - dref - oldSize);
        for (int parent : chain.subList(0, chain.size() - 1)) {
            ByteBuffer.wrap(result, parent, 4).putInt(ByteBuffer.wrap(bytes, parent, 4).getInt() + delta);
        }
        return Files.write(out, result);
    }

    /** The offset of the first box of {@code type} among the boxes between {@code from} and {@code to}. */
    private static int box(byte[] bytes, int from, int to, String type) {
        for (int at = from; at + 8 <= to; ) {
            int size = ByteBuffer.wrap(bytes, at, 4).getInt();
            if (new String(bytes, at + 4, 4, StandardCharsets.US_ASCII).equals(type)) return at;
            assertThat(size).as("box size at " + at).isGreaterThanOrEqualTo(8);
            at += size;
        }
        throw new AssertionError("no " + type + " box");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) return i;
        }
        return -1;
    }

    /**
     * A victim file that notices being opened: a FIFO whose writer (holding the real bytes) gets
     * past open() only when some process opens it for reading.
     */
    static final class Tripwire implements AutoCloseable {
        private final Path path;
        private final Thread writer;
        private volatile boolean opened;
        private volatile boolean releasing;

        Tripwire(Path path, Path content) throws Exception {
            this.path = path;
            Files.deleteIfExists(path);
            Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
            assertThat(mkfifo.waitFor()).isZero();
            byte[] bytes = Files.readAllBytes(content);
            writer = Thread.ofPlatform().daemon().start(() -> {
                try (OutputStream out = Files.newOutputStream(path)) {
                    if (!releasing) opened = true;
                    out.write(bytes);
                } catch (IOException ignored) {
                    // the reader went away early: it was opened all the same
                }
            });
        }

        boolean wasOpened() {
            return opened;
        }

        @Override
        public void close() throws Exception {
            releasing = true;
            if (writer.isAlive() && !opened) {
                try (InputStream in = Files.newInputStream(path)) {
                    in.readAllBytes(); // lets the writer through
                }
            }
            writer.join(5000);
            Files.deleteIfExists(path);
        }
    }
}
