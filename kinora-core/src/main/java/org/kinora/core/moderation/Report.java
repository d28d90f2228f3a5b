package org.kinora.core.moderation;

import java.time.Instant;

/**
 * One person's report of one item. {@code atSeconds}: where in a video (null otherwise);
 * {@code outcome}: what moderation decided, shown to the reporter once {@code status} is not open.
 */
public record Report(String id, String reporterId, ItemKind kind, String itemId, ReportReason reason, String note,
                     Double atSeconds, String status, String outcome, Instant createdAt, Instant resolvedAt) {
    public static final String OPEN = "open";
    public static final String DISMISSED = "dismissed";
    public static final String ACTIONED = "actioned";
}
