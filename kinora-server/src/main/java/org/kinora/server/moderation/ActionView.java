package org.kinora.server.moderation;

import java.time.Instant;
import org.kinora.core.moderation.Appeal;
import org.kinora.core.moderation.ModerationAction;

/** A moderation action as its target and moderators read it, with its appeal when there is one. */
record ActionView(String id, String action, String kind, String itemId, String itemTitle, String reason, String penalty,
                  Instant penaltyUntil, Instant createdAt, Instant revertedAt, boolean appealable, AppealState appeal) {
    record AppealState(String status, String message, String decisionReason, Instant createdAt, Instant decidedAt) {}

    static ActionView of(ModerationAction a, String itemTitle, Appeal appeal) {
        boolean appealable = appeal == null && a.revertedAt() == null
                && !a.action().wireName().equals("dismiss") && !a.action().wireName().equals("approve");
        return new ActionView(a.id(), a.action().wireName(), a.kind().wireName(), a.itemId(), itemTitle, a.reason(),
                a.penalty() == null ? null : a.penalty().wireName(), a.penaltyUntil(), a.createdAt(), a.revertedAt(), appealable,
                appeal == null ? null : new AppealState(appeal.status(), appeal.message(), appeal.decisionReason(), appeal.createdAt(),
                        appeal.decidedAt()));
    }
}
