package org.kinora.media.packaging;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.kinora.core.blob.BlobKeys;
import org.kinora.core.blob.BlobStore;
import org.kinora.core.caption.CaptionManifests;
import org.kinora.core.caption.CaptionTrack;

/**
 * Rewrites the stored master playlist and MPD with {@link SubtitleTracks}. The transcoder may
 * rewrite them meanwhile (a rung joins the ladder) without the tracks; whoever listens for
 * {@code video.processed} calls this again, so the final manifests always carry them.
 */
public final class StoredCaptionManifests implements CaptionManifests {
    private final BlobStore blobs;

    public StoredCaptionManifests(BlobStore blobs) {
        this.blobs = blobs;
    }

    @Override
    public void publish(String videoId, List<CaptionTrack> tracks, double durationSeconds) throws IOException {
        String master = BlobKeys.master(videoId);
        if (blobs.stat(master).isPresent()) {
            blobs.put(master, SubtitleTracks.hls(read(master), tracks).getBytes(StandardCharsets.UTF_8), "application/vnd.apple.mpegurl");
        }
        String mpd = BlobKeys.dashManifest(videoId);
        if (blobs.stat(mpd).isPresent()) {
            blobs.put(mpd, SubtitleTracks.dash(read(mpd), tracks).getBytes(StandardCharsets.UTF_8), "application/dash+xml");
        }
    }

    private String read(String key) throws IOException {
        try (InputStream in = blobs.open(key)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
