package org.kinora.core.upload;

/**
 * Decides, inside the transaction that completes an upload, whether the video waits for a
 * moderator before anyone else may see it (and places that hold). It runs there rather than on the
 * {@code VideoUploaded} event because a copyable source is ready in under a second: a hold placed
 * by a consumer after that moment could no longer unsend the subscribers' new-video notifications.
 */
@FunctionalInterface
public interface ReviewHold {
    /** No review: every completed upload publishes when it is ready. */
    ReviewHold NONE = (videoId, ownerId) -> {};

    /** Called in the completion transaction, after the video moved to processing. */
    void uploadCompleted(String videoId, String ownerId);
}
