package org.kinora.core.moderation;

import java.util.Optional;

/**
 * Looks up a reportable item in the capability that owns it, whatever its state (held, taken
 * down, private): who owns it, and what a moderator reads of it in the queue.
 */
public interface Items {
    /** {@code title}: a video's title, a channel's name, a comment's text; {@code parentId}: a comment's video. */
    record Item(ItemKind kind, String id, String ownerId, String title, String parentId) {}

    Optional<Item> find(ItemKind kind, String id);

    /** Removes a comment (a moderator's REMOVE); videos and channels are withheld through restrictions instead. */
    void removeComment(String commentId, String moderatorId);

    /** Removes a live chat message (a moderator's REMOVE), in the action's transaction; false when there is none to remove. */
    default boolean removeLiveChat(String messageId, String moderatorId) { return false; }

    /** After the removal committed: tells the chat's viewers, so the message disappears from their screens. */
    default void liveChatRemoved(String messageId) {}

    /** Publishes a comment that was held for review. */
    void approveComment(String commentId);

    /**
     * Announces, in the running transaction, that moderation changed whether a video is listed
     * (taken down, restored, held, approved), so indexes kept from events (OpenSearch) re-read it.
     */
    default void videoListingChanged(String videoId, String actorId) {}

    /**
     * Announces, in the running transaction, a moderator's decision on a video (approved from a
     * hold, or taken down), so its owner is told and, on approval, its subscribers hear of it.
     */
    default void videoReviewed(String videoId, String moderatorId, String ownerId, boolean approved, String reason) {}
}
