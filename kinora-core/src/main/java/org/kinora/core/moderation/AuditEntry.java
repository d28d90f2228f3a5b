package org.kinora.core.moderation;

import java.time.Instant;

/** One line of the audit log: who did what to which item, why and when. {@code id} orders the log. */
public record AuditEntry(long id, Instant at, String actorId, String action, ItemKind kind, String itemId, String reason, String details) {}
