package org.kinora.media.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.media.TestTools;

@Timeout(180)
class MediaProbeIT {
    @TempDir
    static Path dir;
    static Path clip;
    static final Ffmpeg ffmpeg = TestTools.ffmpeg();
    final MediaProbe probe = new MediaProbe(ffmpeg);

    @BeforeAll
    static void makeClip() {
        clip = dir.resolve("clip.mp4");
        ffmpeg.runFfmpeg(List.of("-v", "error", "-f", "lavfi", "-i", "testsrc2=s=320x240:r=30:d=3",
                "-f", "lavfi", "-i", "sine=d=3", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac",
                "-shortest", clip.toString()));
    }

    @Test
    void readsAGeneratedClip() throws Exception {
        MediaInfo info = probe.probe(clip);
        assertThat(info.durationSeconds()).isCloseTo(3.0, within(0.1));
        assertThat(info.width()).isEqualTo(320);
        assertThat(info.height()).isEqualTo(240);
        assertThat(info.frameRate()).isEqualTo(30.0);
        assertThat(info.hasAudio()).isTrue();
        assertThat(info.videoCodec()).isEqualTo("h264");
        assertThat(info.audioCodec()).isEqualTo("aac");
        assertThat(info.formatName()).contains("mp4");
        assertThat(info.sizeBytes()).isEqualTo(Files.size(clip));
    }

    @Test
    void swapsDimensionsOfARotatedVideo() {
        Path rotated = dir.resolve("rotated.mp4");
        ffmpeg.runFfmpeg(List.of("-v", "error", "-display_rotation", "90", "-i", clip.toString(), "-c", "copy", rotated.toString()));
        MediaInfo info = probe.probe(rotated);
        assertThat(info.width()).isEqualTo(240);
        assertThat(info.height()).isEqualTo(320);
        assertThat(info.isPortrait()).isTrue();
    }

    @Test
    void rejectsAVideoWithoutAudioAsPlayable() {
        Path silent = dir.resolve("silent.mkv");
        ffmpeg.runFfmpeg(List.of("-v", "error", "-i", clip.toString(), "-an", "-c", "copy", silent.toString()));
        MediaInfo info = probe.probe(silent);
        assertThat(info.hasAudio()).isFalse();
        assertThat(info.audioCodec()).isNull();
    }

    @Test
    void rejectsATextFile() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.txt"), "this is not a video\n".repeat(20));
        assertThatThrownBy(() -> probe.probe(text))
                .isInstanceOf(UnplayableMediaException.class)
                .hasMessage("The file is not a video Kinora can read (ffprobe: Invalid data found when processing input).");
    }

    @Test
    void rejectsRandomBytes() throws Exception {
        byte[] bytes = new byte[20_000];
        new Random(42).nextBytes(bytes);
        Path random = Files.write(dir.resolve("random.mp4"), bytes);
        assertThatThrownBy(() -> probe.probe(random))
                .isInstanceOf(UnplayableMediaException.class)
                .hasMessageStartingWith("The file is not a video Kinora can read (ffprobe: ");
    }

    @Test
    void rejectsAudioOnly() {
        Path audio = dir.resolve("audio.m4a");
        ffmpeg.runFfmpeg(List.of("-v", "error", "-f", "lavfi", "-i", "sine=d=1", "-c:a", "aac", audio.toString()));
        assertThatThrownBy(() -> probe.probe(audio))
                .isInstanceOf(UnplayableMediaException.class)
                .hasMessage("The file has no video stream, only audio.");
    }

    @Test
    void rejectsStillImages() {
        for (String name : List.of("still.png", "still.jpg")) {
            Path image = dir.resolve(name);
            ffmpeg.runFfmpeg(List.of("-v", "error", "-f", "lavfi", "-i", "testsrc2=s=320x240", "-frames:v", "1", image.toString()));
            assertThatThrownBy(() -> probe.probe(image))
                    .isInstanceOf(UnplayableMediaException.class)
                    .hasMessage("The file is a still image, not a video.");
        }
    }

    /** A default mp4 keeps its index (moov) at the end, so a cut-off upload has none. */
    @Test
    void rejectsATruncatedMp4WithoutIndex() throws Exception {
        Path truncated = truncate(clip, "truncated.mp4");
        assertThatThrownBy(() -> probe.probe(truncated))
                .isInstanceOf(UnplayableMediaException.class)
                .hasMessageContaining("Invalid data found when processing input");
    }

    /**
     * With the index first (faststart), a cut-off file still describes the full video. Probing
     * does not decode, so it accepts the file; the transcode is what notices the missing data.
     */
    @Test
    void acceptsATruncatedFaststartMp4BecauseOnlyDecodingCanTell() throws Exception {
        Path faststart = dir.resolve("faststart.mp4");
        ffmpeg.runFfmpeg(List.of("-v", "error", "-i", clip.toString(), "-c", "copy", "-movflags", "+faststart", faststart.toString()));
        MediaInfo info = probe.probe(truncate(faststart, "faststart-truncated.mp4"));
        assertThat(info.durationSeconds()).isCloseTo(3.0, within(0.1));
    }

    private static Path truncate(Path source, String name) throws Exception {
        byte[] bytes = Files.readAllBytes(source);
        return Files.write(dir.resolve(name), Arrays.copyOf(bytes, bytes.length * 3 / 10));
    }
}
