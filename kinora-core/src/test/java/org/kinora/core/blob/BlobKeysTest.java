package org.kinora.core.blob;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
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

    /** The table of docs/ARCHITECTURE.md and BlobKeys, key for key. */
    @Test
    void everyKeyOfAVideoIsTheDocumentedOne() {
        assertThat(BlobKeys.original("v1")).isEqualTo("originals/v1/source");
        assertThat(BlobKeys.originalsPrefix("v1")).isEqualTo("originals/v1/");
        assertThat(BlobKeys.master("v1")).isEqualTo("videos/v1/master.m3u8");
        assertThat(BlobKeys.dashManifest("v1")).isEqualTo("videos/v1/manifest.mpd");
        assertThat(BlobKeys.rungPlaylist("v1", "720p")).isEqualTo("videos/v1/720p/index.m3u8");
        assertThat(BlobKeys.videoPrefix("v1") + "720p/" + BlobKeys.INIT_SEGMENT).isEqualTo("videos/v1/720p/init.mp4");
        assertThat(BlobKeys.videoPrefix("v1") + "720p/" + String.format(Locale.ROOT, BlobKeys.SEGMENT_PATTERN, 1))
                .isEqualTo("videos/v1/720p/seg_00001.m4s");
        assertThat(BlobKeys.poster("v1")).isEqualTo("videos/v1/thumbs/poster.jpg");
        assertThat(BlobKeys.storyboard("v1")).isEqualTo("videos/v1/thumbs/storyboard.vtt");
        assertThat(BlobKeys.thumb("v1", BlobKeys.sprite(0))).isEqualTo("videos/v1/thumbs/sprite_0.jpg");
        assertThat(BlobKeys.videoPrefix("v1") + BlobKeys.rungFile("720p", BlobKeys.IFRAME_PLAYLIST)).isEqualTo("videos/v1/720p/iframes.m3u8");
        assertThat(BlobKeys.captionFile("v1", "en")).isEqualTo("videos/v1/captions/en.vtt");
        assertThat(BlobKeys.captionPlaylist("v1", "en")).isEqualTo("videos/v1/captions/en.m3u8");
        assertThat(BlobKeys.chosenThumbnail("v1")).isEqualTo("videos/v1/thumbs/chosen.jpg");
        assertThat(BlobKeys.liveThumbnail("l1", "thumb-abcdefgh.jpg")).isEqualTo("lives/l1/thumb-abcdefgh.jpg");
        assertThat(BlobKeys.liveDvrInit("l1", "720p")).isEqualTo("lives/l1/dvr/720p/init.mp4");
        assertThat(BlobKeys.liveDvrSegment("l1", "720p", 7)).isEqualTo("lives/l1/dvr/720p/s7.m4s");
        assertThat(BlobKeys.chunkPlan("v1")).isEqualTo("originals/v1/chunks/plan.txt");
        assertThat(BlobKeys.chunkedSourceCopy("v1")).isEqualTo("originals/v1/chunks/source-copy");
        assertThat(BlobKeys.chunkPlaylist("v1", "720p", 3, BlobKeys.RUNG_PLAYLIST)).isEqualTo("originals/v1/chunks/720p/00003-index.m3u8");
        assertThat(BlobKeys.videoPrefix("v1") + BlobKeys.suggestedFramePath(1)).isEqualTo("videos/v1/thumbs/suggest_1.jpg");
        assertThat(BlobKeys.channelImage("c1", "avatar-abcdefgh.jpg")).isEqualTo("channels/c1/avatar-abcdefgh.jpg");
        assertThat(BlobKeys.partialUpload("u1")).isEqualTo("partials/u1/part");
        assertThat(BlobKeys.staging("originals/v1/source")).isEqualTo("uploads/originals/v1/source");
    }

    /** The segment names the encoder writes are the ones the segment helpers recognise, and only those. */
    @Test
    void segmentFileNamesAreRecognisedAndNumbered() {
        String first = String.format(Locale.ROOT, BlobKeys.SEGMENT_PATTERN, 1);
        assertThat(BlobKeys.isSegmentFile(first)).isTrue();
        assertThat(BlobKeys.segmentNumber(String.format(Locale.ROOT, BlobKeys.SEGMENT_PATTERN, 12345))).isEqualTo(12345);
        for (String other : List.of("seg_1.m4s", "seg_00001.mp4", BlobKeys.INIT_SEGMENT, "360p/seg_00001.m4s", "seg_00001.m4s.bak")) {
            assertThat(BlobKeys.isSegmentFile(other)).as(other).isFalse();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> BlobKeys.segmentNumber(other)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(BlobKeys.isSegmentFile(null)).isFalse();
    }

    /** What the encoder, the thumbnailer and the manifests name is what the origin agrees to serve. */
    @Test
    void everyFileTheLayoutNamesIsServedAndClassified() {
        List<String> rungFiles = List.of(BlobKeys.rungPlaylistPath("360p"), BlobKeys.initSegmentPath("audio"),
                "360p/" + String.format(Locale.ROOT, BlobKeys.SEGMENT_PATTERN, 42),
                // the DASH template, expanded as a player does, names the encoder's segment
                BlobKeys.segmentTemplatePath("360p").replace("$Number%05d$", String.format(Locale.ROOT, "%05d", 42)));
        assertThat(rungFiles.get(3)).isEqualTo(rungFiles.get(2));
        for (String path : rungFiles) {
            assertThat(BlobKeys.isPublishedMediaPath(path)).as(path).isTrue();
            assertThat(BlobKeys.isImmutableMediaPath(path)).as(path).isTrue();
            assertThat(BlobKeys.isThumbnailPath(path)).as(path).isFalse();
        }
        for (String path : List.of(BlobKeys.posterPath(), BlobKeys.storyboardPath(), BlobKeys.THUMBS + BlobKeys.sprite(12))) {
            assertThat(BlobKeys.isPublishedMediaPath(path)).as(path).isTrue();
            assertThat(BlobKeys.isThumbnailPath(path)).as(path).isTrue();
            assertThat(BlobKeys.isImmutableMediaPath(path)).as(path).isFalse();
        }
        for (String path : List.of(BlobKeys.MASTER_PLAYLIST, BlobKeys.DASH_MANIFEST)) {
            assertThat(BlobKeys.isPublishedMediaPath(path)).as(path).isTrue();
            assertThat(BlobKeys.isImmutableMediaPath(path)).as("%s is rewritten as rungs join", path).isFalse();
        }
        assertThat(BlobKeys.sprite(3)).isEqualTo(String.format(Locale.ROOT, BlobKeys.SPRITE_PATTERN, 3));
    }

    @Test
    void av1RungFoldersAreServedAndNothingLikeThemIs() {
        for (String path : List.of(BlobKeys.rungPlaylistPath("720p-av1"), BlobKeys.initSegmentPath("1080p-av1"), "240p-av1/seg_00001.m4s")) {
            assertThat(BlobKeys.isPublishedMediaPath(path)).as(path).isTrue();
            assertThat(BlobKeys.isImmutableMediaPath(path)).as(path).isTrue();
        }
        assertThat(List.of("-av1/index.m3u8", "720p-/index.m3u8", "720p--av1/index.m3u8", "720p-av1-x/index.m3u8", "720p-AV1/init.mp4"))
                .noneMatch(BlobKeys::isPublishedMediaPath);
    }

    @Test
    void textFilesAreTheManifestsAndTheStoryboard() {
        assertThat(List.of(BlobKeys.MASTER_PLAYLIST, BlobKeys.DASH_MANIFEST, BlobKeys.rungPlaylistPath("360p"), BlobKeys.storyboardPath()))
                .allMatch(BlobKeys::isText);
        assertThat(List.of(BlobKeys.initSegmentPath("360p"), BlobKeys.posterPath(), "360p/seg_00001.m4s")).noneMatch(BlobKeys::isText);
    }

    @Test
    void captionFilesAndSuggestedFramesArePublishedPathsAndNothingNearThem() {
        assertThat(List.of(BlobKeys.captionFilePath("en"), BlobKeys.captionPlaylistPath("pt-br"), BlobKeys.captionFilePath("es-419"),
                BlobKeys.suggestedFramePath(1), BlobKeys.suggestedFramePath(3))).allMatch(BlobKeys::isPublishedMediaPath);
        assertThat(List.of("captions/EN.vtt", "captions/en.srt", "captions/../master.m3u8", "captions/english.vtt",
                "thumbs/suggest_4.jpg", "thumbs/chosen.jpg", "captions/en-.vtt")).noneMatch(BlobKeys::isPublishedMediaPath);
        assertThat(BlobKeys.captionFile("v1", "en")).isEqualTo("videos/v1/captions/en.vtt");
        assertThat(BlobKeys.isText(BlobKeys.captionPlaylistPath("en"))).isTrue();
        assertThat(BlobKeys.isImmutableMediaPath(BlobKeys.captionFilePath("en"))).as("replaced on upload").isFalse();
    }

    @Test
    void theVersionedPosterPathIsPublishedAndNamesThePoster() {
        String path = BlobKeys.posterPath("lq3xk2a9b");
        assertThat(path).isEqualTo("thumbs/poster.lq3xk2a9b.jpg");
        assertThat(BlobKeys.isPublishedMediaPath(path)).isTrue();
        assertThat(BlobKeys.storedPath(path)).isEqualTo(BlobKeys.posterPath());
        assertThat(BlobKeys.posterRevision(path)).hasValue("lq3xk2a9b");
        assertThat(BlobKeys.posterRevision(BlobKeys.posterPath())).isEmpty();
        assertThat(BlobKeys.storedPath("360p/seg_00001.m4s")).isEqualTo("360p/seg_00001.m4s");
        assertThat(List.of("thumbs/poster..jpg", "thumbs/poster.ABC.jpg", "thumbs/poster.a/b.jpg", "thumbs/poster.12345678901234567.jpg"))
                .noneMatch(BlobKeys::isPublishedMediaPath);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BlobKeys.posterPath("../x")).isInstanceOf(IllegalArgumentException.class);
    }
}
