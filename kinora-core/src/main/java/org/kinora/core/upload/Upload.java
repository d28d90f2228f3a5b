package org.kinora.core.upload;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A tus upload: {@code offset} of {@code length} bytes received into the staging blob.
 *
 * <p>With the tus concatenation extension an upload is one of three kinds ({@link Concat}): a plain
 * upload, which is a video's original; a <em>partial</em> upload, a piece of a file sent in parallel
 * with its siblings, which has no video ({@code videoId} null) and is never published; or a
 * <em>final</em> upload, which names its partial uploads ({@code parts}, in order) and whose bytes
 * are theirs, assembled in the blob store. {@code consumedBy} is set on a partial upload once a
 * final upload has claimed it, so that no two finals can take the same piece.
 */
public record Upload(
        String id,
        String videoId,
        String ownerId,
        long length,
        long offset,
        Map<String, String> metadata,
        Instant createdAt,
        Instant expiresAt,
        Instant completedAt,
        Concat concat,
        List<String> parts,
        String consumedBy) {

    /** The kinds of upload of the tus concatenation extension. */
    public enum Concat { NONE, PARTIAL, FINAL }

    public Upload {
        parts = List.copyOf(parts);
        if (concat == Concat.PARTIAL ? videoId != null : videoId == null) {
            throw new IllegalArgumentException("a partial upload has no video and every other upload has one");
        }
    }

    /** A plain upload (no concatenation). */
    public Upload(String id, String videoId, String ownerId, long length, long offset, Map<String, String> metadata,
                  Instant createdAt, Instant expiresAt, Instant completedAt) {
        this(id, videoId, ownerId, length, offset, metadata, createdAt, expiresAt, completedAt, Concat.NONE, List.of(), null);
    }

    public boolean isComplete() { return completedAt != null; }

    public boolean isPartial() { return concat == Concat.PARTIAL; }

    public boolean isFinal() { return concat == Concat.FINAL; }

    /**
     * Past its expiry and still of use to nobody: an unfinished upload, or a partial one that no final
     * upload has claimed (finished pieces that are never assembled expire like unfinished uploads).
     */
    public boolean isExpired(Instant now) {
        boolean waiting = !isComplete() || (isPartial() && consumedBy == null);
        return waiting && now.isAfter(expiresAt);
    }

    public Upload withOffset(long newOffset) {
        return new Upload(id, videoId, ownerId, length, newOffset, metadata, createdAt, expiresAt, completedAt, concat, parts, consumedBy);
    }

    public Upload completedAt(Instant at) {
        return new Upload(id, videoId, ownerId, length, offset, metadata, createdAt, expiresAt, at, concat, parts, consumedBy);
    }

    public Upload consumedBy(String finalId) {
        return new Upload(id, videoId, ownerId, length, offset, metadata, createdAt, expiresAt, completedAt, concat, parts, finalId);
    }
}
