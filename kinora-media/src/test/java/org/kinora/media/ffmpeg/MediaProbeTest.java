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
                {'format': {'format_name': 'mp3', 'duration': '180'},
                 'streams': [{'codec_type': 'audio', 'codec_name': 'mp3'},
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
