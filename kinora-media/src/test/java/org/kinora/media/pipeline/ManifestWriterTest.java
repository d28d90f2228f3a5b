package org.kinora.media.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kinora.core.blob.BlobInfo;
import org.kinora.core.blob.BlobKeys;
import org.kinora.core.blob.BlobStore;
import org.kinora.core.caption.CaptionRepository;
import org.kinora.core.caption.CaptionTrack;
import org.kinora.core.common.Transactions;
import org.kinora.media.ladder.Rung;
import org.kinora.media.packaging.AudioRendition;
import org.kinora.media.packaging.MediaPlaylist;
import org.kinora.media.packaging.VideoRendition;

/**
 * The transcoder's manifest rewrite (each rung that joins the ladder) keeps the captions: the
 * master it writes has the SUBTITLES group and every variant refers to it, the MPD has the text
 * AdaptationSets; the tracks are read under the video's manifest lock, inside the transaction in
 * which both files are written. Before, the rewrite dropped them until the next
 * {@code video.processed}.
 */
@Timeout(30)
class ManifestWriterTest {
    static final MediaPlaylist PLAYLIST = MediaPlaylist.parse("""
            #EXTM3U
            #EXT-X-VERSION:7
            #EXT-X-TARGETDURATION:4
            #EXT-X-MAP:URI="init.mp4"
            #EXTINF:4.000000,
            seg_00001.m4s
            #EXTINF:2.000000,
            seg_00002.m4s
            #EXT-X-ENDLIST
            """);
    static final Rung R240 = new Rung("240p", 426, 240, 400, 600, "2.1", "avc1.640015");
    static final Rung R360 = new Rung("360p", 640, 360, 800, 1200, "3.0", "avc1.64001e");
    static final Optional<AudioRendition> AUDIO = Optional.of(AudioRendition.aacStereo(PLAYLIST, "en", 48_000));

    final Map<String, byte[]> stored = new HashMap<>();
    final List<String> log = new ArrayList<>();
    int depth;

    @Test
    void aRungRewriteListsTheCaptionTracksReadUnderTheManifestLock() throws IOException {
        var captions = new Captions(List.of(new CaptionTrack("v1", "en", "English", 2, Instant.EPOCH),
                new CaptionTrack("v1", "fr", "Français", 2, Instant.EPOCH)));
        var writer = new ManifestWriter(new Blobs(), new Tx(), captions);

        // First rung done, the second still encoding: master only (a static MPD cannot grow).
        writer.write("v1", List.of(new VideoRendition(R240, 30, PLAYLIST, 15_360, Optional.empty())), AUDIO, List.of(R360), false);
        String master = text(BlobKeys.master("v1"));
        assertThat(master).contains("#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"subs\",NAME=\"English\",LANGUAGE=\"en\"")
                .contains("LANGUAGE=\"fr\"");
        List<String> variants = master.lines().filter(l -> l.startsWith("#EXT-X-STREAM-INF:")).toList();
        assertThat(variants).hasSize(2).allSatisfy(v -> assertThat(v).endsWith(",SUBTITLES=\"subs\""));
        assertThat(stored).doesNotContainKey(BlobKeys.dashManifest("v1"));

        // The last rung: master and MPD, both with the tracks.
        writer.write("v1", List.of(new VideoRendition(R240, 30, PLAYLIST, 15_360, Optional.empty()),
                new VideoRendition(R360, 30, PLAYLIST, 15_360, Optional.empty())), AUDIO, List.of(), true);
        assertThat(text(BlobKeys.master("v1")).lines().filter(l -> l.startsWith("#EXT-X-STREAM-INF:")))
                .hasSize(2).allSatisfy(v -> assertThat(v).endsWith(",SUBTITLES=\"subs\""));
        String mpd = text(BlobKeys.dashManifest("v1"));
        assertThat(mpd).contains("contentType=\"text\"").contains("lang=\"en\"").contains("lang=\"fr\"");

        // Every read of the tracks took the lock inside the transaction that wrote the files.
        assertThat(log).containsExactly("begin", "lock v1", "put " + BlobKeys.master("v1"), "commit",
                "begin", "lock v1", "put " + BlobKeys.dashManifest("v1"), "put " + BlobKeys.master("v1"), "commit");
    }

    @Test
    void withoutCaptionsTheMasterHasNoSubtitleGroup() throws IOException {
        new ManifestWriter(new Blobs(), new Tx(), new Captions(List.of()))
                .write("v2", List.of(new VideoRendition(R240, 30, PLAYLIST, 15_360, Optional.empty())), AUDIO, List.of(), true);
        assertThat(text(BlobKeys.master("v2"))).doesNotContain("SUBTITLES");
        assertThat(text(BlobKeys.dashManifest("v2"))).doesNotContain("contentType=\"text\"");
    }

    String text(String key) {
        return new String(stored.get(key), StandardCharsets.UTF_8);
    }

    final class Tx implements Transactions {
        @Override
        public <T> T inTransaction(Supplier<T> work) {
            log.add("begin");
            depth++;
            try {
                return work.get();
            } finally {
                depth--;
                log.add("commit");
            }
        }

        @Override
        public void afterCommit(Runnable action) {
            action.run();
        }
    }

    final class Captions implements CaptionRepository {
        final List<CaptionTrack> tracks;

        Captions(List<CaptionTrack> tracks) {
            this.tracks = tracks;
        }

        @Override
        public void upsert(CaptionTrack track, String searchText) { throw new UnsupportedOperationException(); }

        @Override
        public boolean delete(String videoId, String language) { throw new UnsupportedOperationException(); }

        @Override
        public List<CaptionTrack> list(String videoId) { throw new AssertionError("the tracks must be read under the manifest lock"); }

        @Override
        public List<CaptionTrack> listLockingManifests(String videoId) {
            assertThat(depth).as("the lock is taken inside a transaction").isPositive();
            log.add("lock " + videoId);
            return tracks;
        }
    }

    /** The three calls the writer makes, in memory. */
    final class Blobs implements BlobStore {
        @Override
        public void put(String key, byte[] bytes, String contentType) {
            assertThat(depth).as("written while the lock is held").isPositive();
            log.add("put " + key);
            stored.put(key, bytes.clone());
        }

        @Override
        public void put(String key, Path file, String contentType) { throw new UnsupportedOperationException(); }

        @Override
        public Optional<BlobInfo> stat(String key) { throw new UnsupportedOperationException(); }

        @Override
        public InputStream open(String key, long offset, long length) { return new ByteArrayInputStream(stored.get(key)); }

        @Override
        public long stagedSize(String key) { throw new UnsupportedOperationException(); }

        @Override
        public long appendStaged(String key, InputStream in, long maxBytes) { throw new UnsupportedOperationException(); }

        @Override
        public void truncateStaged(String key, long size) { throw new UnsupportedOperationException(); }

        @Override
        public void commitStaged(String key) { throw new UnsupportedOperationException(); }

        @Override
        public void abortStaged(String key) { throw new UnsupportedOperationException(); }

        @Override
        public Path localFile(String key, Path scratchDir) { throw new UnsupportedOperationException(); }

        @Override
        public void delete(String key) { throw new UnsupportedOperationException(); }

        @Override
        public void deletePrefix(String prefix) { throw new UnsupportedOperationException(); }

        @Override
        public long concatenate(List<String> sources, String target) { throw new UnsupportedOperationException(); }
    }
}
