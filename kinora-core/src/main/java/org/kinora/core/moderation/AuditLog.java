package org.kinora.core.moderation;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The append-only record of every moderator and admin action (the store refuses updates and deletes). */
public interface AuditLog {
    void append(String actorId, String action, ItemKind kind, String itemId, String reason, String details, Instant at);

    /** Newest first; each filter may be empty. {@code beforeId} pages backwards. */
    List<AuditEntry> search(Optional<String> actorId, Optional<ItemKind> kind, Optional<String> itemId, Optional<Long> beforeId, int limit);
}
