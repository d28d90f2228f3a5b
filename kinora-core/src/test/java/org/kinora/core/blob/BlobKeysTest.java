package org.kinora.core.blob;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlobKeysTest {
    @ParameterizedTest
    @ValueSource(strings = {"master.m3u8", "manifest.mpd", "720p/index.m3u8", "720p/iframes.m3u8", "720p/init.mp4", "240p/seg_00001.m4s",
            "audio/seg_00012.m4s", "thumbs/poster.jpg", "thumbs/sprite_3.jpg", "thumbs/storyboard.vtt"})
    void publishedFilesAreServed(String path) {
        assertThat(BlobKeys.isPublishedMediaPath(path)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../originals/x/source", "720p/../../secrets/signing.key", "/etc/passwd", "720p/seg_1.m4s",
            "720p%2F..%2Findex.m3u8", "thumbs/../master.m3u8", "720P/init.mp4", "", "720p/init.mp4/..", "a\\b/init.mp4"})
    void anythingElseIsRefused(String path) {
        assertThat(BlobKeys.isPublishedMediaPath(path)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"originals/abc/source", "videos/abc/360p/seg_00001.m4s", "uploads/originals/abc/source/c0000000000000000"})
    void storeKeysBuiltHereAreValid(String key) {
        assertThat(BlobKeys.requireValid(key)).isEqualTo(key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/etc/passwd", "../x", "a/../../x", "a//b", "a/./b", "a/", "a\\b", "a\u0000b", "a\nb"})
    void keysThatCouldEscapeOrConfuseAStoreAreRefused(String key) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BlobKeys.requireValid(key)).isInstanceOf(IllegalArgumentException.class);
    }
}
