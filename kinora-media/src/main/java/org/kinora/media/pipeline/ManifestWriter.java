package org.kinora.media.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.kinora.core.blob.BlobKeys;
import org.kinora.core.blob.BlobStore;
import org.kinora.core.caption.CaptionRepository;
import org.kinora.core.caption.CaptionTrack;
import org.kinora.core.common.Transactions;
import org.kinora.media.ladder.Rung;
import org.kinora.media.packaging.AudioRendition;
import org.kinora.media.packaging.DashManifest;
import org.kinora.media.packaging.HlsMasterPlaylist;
import org.kinora.media.packaging.SubtitleTracks;
import org.kinora.media.packaging.VideoRendition;

/**
 * Writes a video's HLS master playlist (and MPD) as the ladder grows, with the video's caption
 * tracks in them: each rung that joins the ladder rewrites the master, and a rewrite without the
 * {@code SUBTITLES} group would take the captions away from every player that loads the master
 * until the next caption change or {@code video.processed}.
 *
 * <p>Atomic with caption changes: the tracks are read, and both files written, while holding the
 * video's manifest lock ({@link CaptionRepository#listLockingManifests}), which the caption
 * service's rewrite also holds. So the two writers (the worker here, an API node there) never
 * interleave, and whichever writes last read the other's committed state: a rung never drops
 * the captions, and a caption upload never drops a rung.
 */
public final class ManifestWriter {
    private final BlobStore blobs;
    private final Transactions tx;
    private final CaptionRepository captions;

    public ManifestWriter(BlobStore blobs, Transactions tx, CaptionRepository captions) {
        this.blobs = blobs;
        this.tx = tx;
        this.captions = captions;
    }

    /**
     * @param pending rungs still being encoded (listed so players can switch up later)
     * @param dash    also write the MPD (not while the first rung grows: a static MPD cannot)
     */
    public void write(String videoId, List<VideoRendition> video, Optional<AudioRendition> audio, List<Rung> pending, boolean dash)
            throws IOException {
        try {
            tx.inTransaction(() -> {
                List<CaptionTrack> tracks = captions.listLockingManifests(videoId);
                try {
                    if (dash) {
                        blobs.put(BlobKeys.dashManifest(videoId), DashManifest.render(video, audio, tracks).getBytes(StandardCharsets.UTF_8),
                                "application/dash+xml");
                    }
                    blobs.put(BlobKeys.master(videoId),
                            SubtitleTracks.hls(HlsMasterPlaylist.render(video, audio, pending), tracks).getBytes(StandardCharsets.UTF_8),
                            "application/vnd.apple.mpegurl");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
