package org.kinora.core.upload;

import java.time.Instant;
import java.util.Map;

/** A tus upload: {@code offset} of {@code length} bytes received into the staging blob. */
public record Upload(
        String id,
        String videoId,
        String ownerId,
        long length,
        long offset,
        Map<String, String> metadata,
        Instant createdAt,
        Instant expiresAt,
        Instant completedAt) {

    public boolean isComplete() { return completedAt != null; }

    public boolean isExpired(Instant now) { return !isComplete() && now.isAfter(expiresAt); }

    public Upload withOffset(long newOffset) {
        return new Upload(id, videoId, ownerId, length, newOffset, metadata, createdAt, expiresAt, completedAt);
    }
}
