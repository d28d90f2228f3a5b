package org.kinora.server.transcode;

import java.time.Instant;
import java.util.List;
import org.kinora.adapters.postgres.PostgresDatabase;
import org.kinora.core.blob.BlobKeys;
import org.kinora.core.blob.BlobStore;
import org.kinora.media.pipeline.SourceCopy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of a copied source, once the ladder has replaced it in the master and the MPD:
 * recorded with the time they may go ({@code source_copy_retirements}, V73) and deleted by a
 * periodic task after it. Crash-safe: the row is written before the worker reports the ladder
 * done and deleted only after the files, so a crash at any point leaves either the row (the next
 * run deletes again, which is idempotent) or nothing left to delete.
 */
final class SourceCopyCleanup implements SourceCopy.Retirements {
    private static final Logger log = LoggerFactory.getLogger(SourceCopyCleanup.class);
    private final PostgresDatabase db;
    private final BlobStore blobs;

    SourceCopyCleanup(PostgresDatabase db, BlobStore blobs) {
        this.db = db;
        this.blobs = blobs;
    }

    @Override
    public void retire(String videoId, Instant deleteAfter) {
        db.useHandle(h -> h.createUpdate("""
                        INSERT INTO source_copy_retirements (video_id, delete_after) VALUES (:v, :t)
                        ON CONFLICT (video_id) DO UPDATE SET delete_after = excluded.delete_after""")
                .bind("v", videoId).bind("t", java.sql.Timestamp.from(deleteAfter)).execute());
    }

    /** Deletes the files of every copy whose grace has passed; returns how many. */
    int deleteDue(Instant now) throws java.io.IOException {
        List<String> due = db.withHandle(h -> h.createQuery(
                        "SELECT video_id FROM source_copy_retirements WHERE delete_after <= :now ORDER BY delete_after LIMIT 100")
                .bind("now", java.sql.Timestamp.from(now)).mapTo(String.class).list());
        for (String id : due) {
            blobs.deletePrefix(BlobKeys.videoPrefix(id) + SourceCopy.RENDITION + "/");
            db.useHandle(h -> h.createUpdate("DELETE FROM source_copy_retirements WHERE video_id = :v AND delete_after <= :now")
                    .bind("v", id).bind("now", java.sql.Timestamp.from(now)).execute());
            log.info("video {}: the copied source's files were deleted", id);
        }
        return due.size();
    }
}
