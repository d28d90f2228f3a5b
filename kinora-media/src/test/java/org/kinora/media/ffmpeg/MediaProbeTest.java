package org.kinora.media.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class MediaProbeTest {
    private static JsonNode json(String text) throws Exception {
        return new ObjectMapper().readTree(text.replace('\'', '"'));
    }

    @Test
    void legacyRotateTagSwapsDimensions() throws Exception {
        MediaInfo info = MediaProbe.interpret(json("""
                {'format': {'format_name': 'mov,mp4', 'duration': '4.5'},
                 'streams': [{'codec_type': 'video', 'codec_name': 'h264', 'width': 1920, 'height': 1080,
                              'pix_fmt': 'yuv420p', 'avg_frame_rate': '30000/1001', 'tags': {'rotate': '270'}}]}"""), 10);
        assertThat(info.width()).isEqualTo(1080);
        assertThat(info.height()).isEqualTo(1920);
        assertThat(info.frameRate()).isCloseTo(29.97, org.assertj.core.api.Assertions.within(0.001));
    }

    @Test
    void upsideDownDoesNotSwap() throws Exception {
        MediaInfo info = MediaProbe.interpret(json("""
                {'format': {'format_name': 'mov,mp4', 'duration': '4.5'},
                 'streams': [{'codec_type': 'video', 'codec_name': 'h264', 'width': 1920, 'height': 1080,
                              'pix_fmt': 'yuv420p', 'avg_frame_rate': '25/1', 'side_data_list': [{'rotation': 180}]}]}"""), 10);
        assertThat(info.width()).isEqualTo(1920);
    }

    @Test
    void coverArtIsNotAVideo() throws Exception {
        assertThatThrownBy(() -> MediaProbe.interpret(json("""
                {'format': {'format_name': 'mov,mp4,m4a,3gp,3g2,mj2', 'duration': '180'},
                 'streams': [{'codec_type': 'audio', 'codec_name': 'aac'},
                             {'codec_type': 'video', 'codec_name': 'mjpeg', 'width': 500, 'height': 500,
                              'disposition': {'attached_pic': 1}}]}"""), 10))
                .hasMessage("The file has no video stream, only audio.");
    }

    @Test
    void zeroDurationIsRejected() throws Exception {
        assertThatThrownBy(() -> MediaProbe.interpret(json("""
                {'format': {'format_name': 'matroska,webm', 'duration': '0.000'},
                 'streams': [{'codec_type': 'video', 'codec_name': 'h264', 'width': 640, 'height': 360,
                              'avg_frame_rate': '25/1'}]}"""), 10))
                .isInstanceOf(UnplayableMediaException.class)
                .hasMessageContaining("no duration");
    }

    /** A DVD's 720x576 with 64:45 pixels is shown 1024 wide: the ladder is planned from that, not from the stored width. */
    @Test
    void nonSquarePixelsArePlannedAtTheirDisplayWidth() throws Exception {
        MediaInfo info = MediaProbe.interpret(json("""
                {'format': {'format_name': 'matroska,webm', 'duration': '10.0'},
                 'streams': [{'codec_type': 'video', 'codec_name': 'mpeg2video', 'width': 720, 'height': 576,
                              'sample_aspect_ratio': '64:45', 'pix_fmt': 'yuv420p', 'avg_frame_rate': '25/1'}]}"""), 10);
        assertThat(info.width()).isEqualTo(1024);
        assertThat(info.height()).isEqualTo(576);
        MediaInfo square = MediaProbe.interpret(json("""
                {'format': {'format_name': 'matroska,webm', 'duration': '10.0'},
                 'streams': [{'codec_type': 'video', 'codec_name': 'h264', 'width': 640, 'height': 360,
                              'sample_aspect_ratio': '1:1', 'pix_fmt': 'yuv420p', 'avg_frame_rate': '25/1'}]}"""), 10);
        assertThat(square.width()).isEqualTo(640);
        // A crafted ratio does not wrap around into a plausible size: it stays too wide for any limit.
        MediaInfo crafted = MediaProbe.interpret(json("""
                {'format': {'format_name': 'matroska,webm', 'duration': '10.0'},
                 'streams': [{'codec_type': 'video', 'codec_name': 'h264', 'width': 720, 'height': 576,
                              'sample_aspect_ratio': '2147483647:1', 'pix_fmt': 'yuv420p', 'avg_frame_rate': '25/1'}]}"""), 10);
        assertThat(crafted.width()).isGreaterThan(1_000_000);
    }

    /** Outside QuickTime/MP4 a missing pixel format is no reference movie: an MPEG-TS capture's first picture may lie past the probe's window. */
    @Test
    void aMissingPixelFormatOutsideQuickTimeIsNotRefused() throws Exception {
        MediaInfo info = MediaProbe.interpret(json("""
                {'format': {'format_name': 'mpegts', 'duration': '10.0'},
                 'streams': [{'codec_type': 'video', 'codec_name': 'h264', 'width': 1280, 'height': 720, 'avg_frame_rate': '25/1'}]}"""), 10);
        assertThat(info.width()).isEqualTo(1280);
    }

    /** What ffprobe reports for a track whose samples are elsewhere: the header's codec and size, no pixel format. */
    @Test
    void aVideoStreamWithoutAPixelFormatIsRefused() throws Exception {
        assertThatThrownBy(() -> MediaProbe.interpret(json("""
                {'format': {'format_name': 'mov,mp4,m4a,3gp,3g2,mj2', 'duration': '2.0'},
                 'streams': [{'codec_type': 'video', 'codec_name': 'h264', 'width': 160, 'height': 120,
                              'avg_frame_rate': '15/1'}]}"""), 60000))
                .isInstanceOf(UnplayableMediaException.class)
                .hasMessageStartingWith("The video stream cannot be read: the file holds no picture of it.");
    }

    @Test
    void reasonStripsPathAndDemuxerPrefixes() {
        Path file = Path.of("/tmp/x.mp4");
        assertThat(MediaProbe.reason("[mov,mp4 @ 0x55] moov atom not found\n/tmp/x.mp4: Invalid data found when processing input\n", file))
                .isEqualTo("Invalid data found when processing input");
        assertThat(MediaProbe.reason("[mov,mp4 @ 0x55] moov atom not found\n", file)).isEqualTo("moov atom not found");
    }
}
