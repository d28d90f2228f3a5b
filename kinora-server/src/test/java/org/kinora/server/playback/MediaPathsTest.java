package org.kinora.server.playback;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class MediaPathsTest {
    @Test
    void splitsTokenVideoAndFileAndIgnoresTheQuery() {
        assertThat(MediaPaths.split("/media/tok.en/vid123/720p/seg_00001.m4s?x=1").orElseThrow())
                .containsExactly("tok.en", "vid123", "720p/seg_00001.m4s");
        assertThat(MediaPaths.split("/media/t/v/master.m3u8").orElseThrow()).containsExactly("t", "v", "master.m3u8");
    }

    @Test
    void anythingElseIsNoMediaTarget() {
        assertThat(MediaPaths.split("/api/v1/videos")).isEmpty();
        assertThat(MediaPaths.split("/media/")).isEmpty();
        assertThat(MediaPaths.split("/media//v/x.m4s")).isEmpty();
        assertThat(MediaPaths.split("/media/t//x.m4s")).isEmpty();
        assertThat(MediaPaths.split("/media/t/v/")).isEmpty();
        assertThat(MediaPaths.split("/media/t/v")).isEmpty();
        assertThat(MediaPaths.split("http://evil/media/t/v/x.m4s")).isEmpty();
    }

    @Test
    void aRedirectNamesOnlyAPlainHost() {
        assertThat(MediaPaths.hostOnly("video.example.org:8081")).isEqualTo("video.example.org");
        assertThat(MediaPaths.hostOnly("127.0.0.1")).isEqualTo("127.0.0.1");
        assertThat(MediaPaths.hostOnly("[::1]:8081")).isEqualTo("[::1]");
        assertThat(MediaPaths.hostOnly(null)).isEqualTo("localhost");
        assertThat(MediaPaths.hostOnly("evil.example/path@x")).isEqualTo("localhost");
        assertThat(MediaPaths.hostOnly("a b")).isEqualTo("localhost");
    }
}
