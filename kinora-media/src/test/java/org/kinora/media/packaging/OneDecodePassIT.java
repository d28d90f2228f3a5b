package org.kinora.media.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.media.TestTools;
import org.kinora.media.ffmpeg.Ffmpeg;
import org.kinora.media.ffmpeg.MediaInfo;
import org.kinora.media.ffmpeg.MediaProbe;
import org.kinora.media.ladder.LadderPlanner;
import org.kinora.media.ladder.Rung;

/**
 * The passes TranscodeJobHandler runs (issue 15): the poster and the storyboard come out of the
 * ladder's own decode, and a growing pass writes an EVENT playlist that, read as a
 * {@link GrowingPlaylist}, is measured, starts at the beginning and ends with ENDLIST.
 */
@Timeout(300)
class OneDecodePassIT {
    @TempDir
    Path dir;
    final Ffmpeg ffmpeg = TestTools.ffmpeg();

    private MediaInfo source(Path file, int seconds) {
        ffmpeg.runFfmpeg(List.of("-v", "error", "-f", "lavfi", "-i", "testsrc2=s=640x360:r=30:d=" + seconds,
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:d=" + seconds,
                "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest", file.toString()));
        return new MediaProbe(ffmpeg).probe(file);
    }

    @Test
    void theFirstPassGrowsAndWritesThePosterFromItsOwnDecode() throws Exception {
        Path file = dir.resolve("source.mp4");
        MediaInfo info = source(file, 10);
        Rung first = new LadderPlanner().plan(info).getFirst();
        Path poster = dir.resolve("poster.jpg");
        new CmafEncoder(ffmpeg, "ultrafast").encode(file, info, List.of(first), true, dir.resolve("out"), p -> { },
                new CmafEncoder.Extras(true, Optional.of(poster), Optional.empty()));

        assertThat(poster).isRegularFile();
        assertThat(Files.size(poster)).isGreaterThan(1000);
        GrowingPlaylist grown = GrowingPlaylist.read(dir.resolve("out").resolve(first.name())).orElseThrow();
        assertThat(grown.complete()).isTrue();
        assertThat(grown.segments()).hasSize(3).allMatch(Files::isRegularFile);
        assertThat(grown.seconds()).isCloseTo(10.0, within(0.2));
        assertThat(grown.m3u8()).contains("#EXT-X-PLAYLIST-TYPE:EVENT", GrowingPlaylist.START_AT_BEGINNING, "#EXT-X-BITRATE:", "#EXT-X-ENDLIST");
        MediaPlaylist parsed = MediaPlaylist.parse(grown.m3u8());
        assertThat(parsed.peakBitsPerSecond()).isPresent();
        assertThat(GrowingPlaylist.read(dir.resolve("out").resolve("audio")).orElseThrow().complete()).isTrue();
        // Nothing listed yet, nothing to publish.
        assertThat(GrowingPlaylist.read(dir.resolve("nothing"))).isEmpty();
    }

    @Test
    void theLadderPassWritesTheStoryboardFromItsOwnDecode() throws Exception {
        Path file = dir.resolve("source.mp4");
        MediaInfo info = source(file, 6);
        List<Rung> ladder = new LadderPlanner().plan(info);
        Path board = dir.resolve("board");
        CmafOutput out = new CmafEncoder(ffmpeg, "ultrafast").encode(file, info, ladder.subList(1, ladder.size()), false,
                dir.resolve("out"), p -> { }, new CmafEncoder.Extras(false, Optional.empty(), Optional.of(board)));

        assertThat(out.video()).hasSize(ladder.size() - 1);
        assertThat(board.resolve("sprite_0.jpg")).isRegularFile();
        assertThat(Files.readString(board.resolve("storyboard.vtt"))).startsWith("WEBVTT").contains("sprite_0.jpg#xywh=0,0,160,90");
        // The separate storyboard command writes the same VTT.
        Storyboard alone = new Thumbnails(ffmpeg).storyboard(file, info, dir.resolve("alone"));
        assertThat(Files.readString(alone.vtt())).isEqualTo(Files.readString(board.resolve("storyboard.vtt")));
    }
}
