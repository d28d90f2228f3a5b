package org.kinora.core.admin;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Port: what the admin pages list (every account, every video in any state) and account standing. */
public interface AdminDirectory {
    /** An account as admins see it. {@code uploadQuotaBytes} null: the instance default. */
    record AccountRow(String id, String username, String email, String role, Long uploadQuotaBytes, long usedBytes,
                      long videos, Instant createdAt, Instant suspendedAt, String suspensionReason, boolean awaitingApproval) {}

    /** A video in any state, with why it failed and how far processing got. */
    record VideoRow(String id, String ownerId, String ownerName, String title, String privacy, String status, int progress,
                    String failureReason, Instant createdAt, Instant updatedAt, boolean deleted) {}

    /** Newest accounts first; {@code query} matches the start of the username or email, case-insensitively. */
    List<AccountRow> accounts(Optional<String> query, Optional<Instant> beforeCreated, Optional<String> beforeId, int limit);

    /** Newest videos first, deleted ones included only when {@code status} is "deleted". */
    List<VideoRow> videos(Optional<String> status, Optional<Instant> beforeCreated, Optional<String> beforeId, int limit);

    /** Whether the account may sign in and upload. */
    record Standing(boolean suspended, String suspensionReason, boolean awaitingApproval) {
        public static final Standing GOOD = new Standing(false, null, false);
    }

    Standing standing(String userId);

    void suspend(String userId, String reason, Instant at);

    void unsuspend(String userId);

    void setAwaitingApproval(String userId, boolean waiting);
}
