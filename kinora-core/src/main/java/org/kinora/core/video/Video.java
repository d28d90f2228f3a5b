package org.kinora.core.video;

import java.time.Instant;

/**
 * A video as stored. {@code progress} is 0–100 while processing; {@code failureReason} is a
 * sentence for the creator when {@code status} is FAILED.
 */
public record Video(
        String id,
        String ownerId,
        String title,
        String description,
        Privacy privacy,
        VideoStatus status,
        int progress,
        String failureReason,
        Double durationSeconds,
        Integer width,
        Integer height,
        Instant createdAt,
        Instant updatedAt,
        Instant publishedAt,
        Instant deletedAt) {

    public boolean isDeleted() { return deletedAt != null; }

    public boolean isOwnedBy(String userId) { return userId != null && userId.equals(ownerId); }

    /** Whether {@code viewerId} (null for anonymous) may see this video at all. */
    public boolean isVisibleTo(String viewerId) {
        if (isDeleted()) return false;
        return privacy != Privacy.PRIVATE || isOwnedBy(viewerId);
    }
}
