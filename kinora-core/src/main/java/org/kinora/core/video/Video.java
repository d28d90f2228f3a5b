package org.kinora.core.video;

import java.time.Instant;
import java.util.List;

/**
 * A video as stored. {@code progress} is 0–100 while processing; {@code failureReason} is a
 * sentence for the creator when {@code status} is FAILED; {@code tags} are normalised by {@link Tags}.
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
        Instant deletedAt,
        List<String> tags) {

    public Video {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** A video without tags (the shape before tags existed, kept so older call sites stay valid). */
    public Video(String id, String ownerId, String title, String description, Privacy privacy, VideoStatus status,
                 int progress, String failureReason, Double durationSeconds, Integer width, Integer height,
                 Instant createdAt, Instant updatedAt, Instant publishedAt, Instant deletedAt) {
        this(id, ownerId, title, description, privacy, status, progress, failureReason, durationSeconds, width, height,
                createdAt, updatedAt, publishedAt, deletedAt, List.of());
    }

    /** Listed publicly: public, playable and not deleted. Only such videos are ever searchable. */
    public boolean isPubliclyListed() {
        return privacy == Privacy.PUBLIC && status == VideoStatus.READY && !isDeleted();
    }

    public boolean isDeleted() { return deletedAt != null; }

    /**
     * The revision of the video's poster in its URL: {@code updated_at} in microseconds, base 36.
     * It moves whenever the poster may have changed (processing finishing, a chosen thumbnail,
     * {@link VideoRepository#markPicturesChanged}) and on other edits too, which only costs a
     * cache miss; a view count does not move it.
     */
    public String posterRevision() {
        Instant at = updatedAt == null ? createdAt : updatedAt;
        return Long.toString(at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000, 36);
    }

    public boolean isOwnedBy(String userId) { return userId != null && userId.equals(ownerId); }

    /** Whether {@code viewerId} (null for anonymous) may see this video at all. */
    public boolean isVisibleTo(String viewerId) {
        if (isDeleted()) return false;
        return privacy != Privacy.PRIVATE || isOwnedBy(viewerId);
    }
}
