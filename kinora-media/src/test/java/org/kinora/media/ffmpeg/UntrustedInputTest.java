package org.kinora.media.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UntrustedInputTest {
    private static MediaInfo info(String formatName) {
        return new MediaInfo(10, 640, 360, 25, true, "h264", "aac", formatName, 1_000_000, null);
    }

    @Test
    void inputIsStdinWithTheProbedDemuxerOnly() {
        String allowed = "mov,matroska,avi,flv,mpegts,mpeg,ogg,asf,mxf,nut,dv";
        assertThat(UntrustedInput.arguments(info("mov,mp4,m4a,3gp,3g2,mj2"))).containsExactly(
                "-protocol_whitelist", "fd", "-format_whitelist", allowed, "-f", "mov",
                "-enable_drefs", "0", "-use_absolute_path", "0", "-i", "fd:");
        assertThat(UntrustedInput.arguments(info("matroska,webm"))).containsExactly(
                "-protocol_whitelist", "fd", "-format_whitelist", allowed, "-f", "matroska", "-i", "fd:");
        assertThat(UntrustedInput.probeArguments()).containsExactly(
                "-protocol_whitelist", "fd", "-format_whitelist", allowed, "-i", "fd:");
        for (String hostile : List.of("dash", "hls", "concat", "imf", "image2", "png_pipe", "tty", "lavfi", "webm_dash_manifest")) {
            assertThatThrownBy(() -> UntrustedInput.arguments(info(hostile))).as(hostile).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void refusedFormatsAreNamedForTheCreator() {
        assertThat(MediaProbe.formatRefusal("dash")).isEqualTo("The file is an MPEG-DASH manifest, not a video file.");
        assertThat(MediaProbe.formatRefusal("hls")).isEqualTo("The file is an HLS playlist, not a video file.");
        assertThat(MediaProbe.formatRefusal("concat")).isEqualTo("The file is an ffmpeg concat script, not a video file.");
        assertThat(MediaProbe.formatRefusal("tty")).isEqualTo("The file is a text file, not a video file.");
        assertThat(MediaProbe.formatRefusal("jpeg_pipe")).isEqualTo("The file is a still image, not a video.");
        assertThat(MediaProbe.formatRefusal("mp3")).isEqualTo("The file has no video stream, only audio.");
        assertThat(MediaProbe.formatRefusal("srt")).isEqualTo("The file is a subtitle file, not a video file.");
        assertThat(MediaProbe.formatRefusal("h264")).startsWith("The file's format (h264) is not one Kinora accepts.");
        assertThat(MediaProbe.textFormat("\uFEFF#EXTM3U\n#EXTINF:1,\na.ts\n")).isEqualTo("an HLS playlist");
        assertThat(MediaProbe.textFormat("<?xml version=\"1.0\"?>\n<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\">")).isEqualTo("an MPEG-DASH manifest");
        assertThat(MediaProbe.textFormat("Meeting notes")).isNull();
    }

    @Test
    void theTimeBudgetGrowsWithTheDurationUpToTheCap() {
        MediaLimits limits = MediaLimits.DEFAULTS;
        assertThat(limits.timeBudget(600)).isEqualTo(Duration.ofMinutes(75));
        assertThat(limits.timeBudget(1e9)).isEqualTo(limits.timeBudget(limits.maxDurationSeconds()));
        assertThat(MediaLimits.readable(3_600_000)).isEqualTo("1000 h 00 min");
        assertThat(MediaLimits.readable(200)).isEqualTo("3 min 20 s");
        assertThatThrownBy(() -> new MediaLimits(10, 64, 32, 10_000, 60, 0, 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
