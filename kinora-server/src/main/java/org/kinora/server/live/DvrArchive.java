package org.kinora.server.live;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.kinora.core.blob.BlobKeys;
import org.kinora.core.blob.BlobStore;
import org.kinora.media.live.LiveRendition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DVR window of one live beyond the in-memory edge: each complete segment of each rendition
 * is written to the blob store as it is cut (one writer per live, off the packager's thread) and
 * listed in the playlist once it is stored, so a viewer can seek back over the whole window
 * ({@code live.dvr-minutes}); segment names carry the live id (BlobKeys), so no session's
 * segments are mistaken for another's. A writer that falls behind (the blob store is slow) drops
 * segments rather than holding memory: the rendition then restarts its window after the hole.
 * The segments go when the ended live leaves memory (the replay is made from the recording).
 */
final class DvrArchive implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DvrArchive.class);
    /** Segments waiting to be written, all renditions together: about a minute of a three-rung ladder at 2 s. */
    private static final int MAX_QUEUED = 90;

    private final BlobStore blobs;
    private final String liveId;
    private final ExecutorService writer;
    private final AtomicInteger queued = new AtomicInteger();

    DvrArchive(BlobStore blobs, String liveId) {
        this.blobs = blobs;
        this.liveId = liveId;
        this.writer = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("live-dvr-" + liveId).factory());
    }

    LiveRendition.Spill spill(String rung) {
        return (msn, bytes, stored) -> {
            if (queued.incrementAndGet() > MAX_QUEUED) {
                queued.decrementAndGet();
                log.warn("live {}: the blob store is behind; segment {} of {} is not kept for the DVR window", liveId, msn, rung);
                return;
            }
            try {
                writer.execute(() -> {
                    try {
                        blobs.put(BlobKeys.liveDvrSegment(liveId, rung, msn), bytes, "video/mp4");
                        stored.run();
                    } catch (IOException | RuntimeException e) {
                        log.warn("live {}: segment {} of {} could not be stored for the DVR window: {}", liveId, msn, rung, e.toString());
                    } finally {
                        queued.decrementAndGet();
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                queued.decrementAndGet(); // the live ended meanwhile
            }
        };
    }

    /** A stored segment, for a viewer seeking back beyond memory. */
    Optional<byte[]> segment(String rung, int msn) throws IOException {
        String key = BlobKeys.liveDvrSegment(liveId, rung, msn);
        var stat = blobs.stat(key);
        if (stat.isEmpty()) return Optional.empty();
        try (InputStream in = blobs.open(key, 0, stat.get().size())) {
            return Optional.of(in.readAllBytes());
        }
    }

    /** Stops writing (what is queued is written first). */
    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Deletes the live's DVR segments (the ended live left memory; its replay is made from the recording). */
    void delete() {
        close();
        try {
            blobs.deletePrefix(BlobKeys.liveDvrPrefix(liveId));
        } catch (IOException e) {
            log.warn("live {}: its DVR segments could not be deleted ({}); they stay under {}", liveId, e, BlobKeys.liveDvrPrefix(liveId));
        }
    }
}
