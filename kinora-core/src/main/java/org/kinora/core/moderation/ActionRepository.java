package org.kinora.core.moderation;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Moderator actions and the appeals against them. */
public interface ActionRepository {
    void insert(ModerationAction action);

    Optional<ModerationAction> find(String id);

    /** Every action concerning the account, newest first. */
    List<ModerationAction> concerning(String userId);

    void markReverted(String id, Instant at);

    /** False when the action already has an appeal (one per action). */
    boolean insertAppeal(Appeal appeal);

    Optional<Appeal> appeal(String actionId);

    List<Appeal> openAppeals(int limit);

    /** Decides an open appeal; false when it was not open (decided by someone else meanwhile). */
    boolean decideAppeal(String actionId, String status, String moderatorId, String reason, Instant at);
}
