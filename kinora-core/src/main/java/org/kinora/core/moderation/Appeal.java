package org.kinora.core.moderation;

import java.time.Instant;

/** A creator's one appeal against one action; a moderator accepts (the action is undone) or rejects it. */
public record Appeal(String actionId, String userId, String message, String status, String decidedBy, String decisionReason,
                     Instant createdAt, Instant decidedAt) {
    public static final String OPEN = "open";
    public static final String ACCEPTED = "accepted";
    public static final String REJECTED = "rejected";
}
