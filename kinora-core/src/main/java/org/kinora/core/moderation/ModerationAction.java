package org.kinora.core.moderation;

import java.time.Instant;

/**
 * One moderator decision on one item. {@code targetUserId}: the account it concerns (the item's
 * owner); {@code penalty}/{@code penaltyUntil}: what it counts against that account (null: nothing);
 * {@code revertedAt}: an accepted appeal undid it.
 */
public record ModerationAction(String id, String actorId, ActionKind action, ItemKind kind, String itemId, String targetUserId,
                               String reason, Penalty penalty, Instant penaltyUntil, Instant createdAt, Instant revertedAt) {
    public StrikePolicy.Entry asEntry() {
        return new StrikePolicy.Entry(penalty, createdAt, penaltyUntil, revertedAt != null);
    }
}
