package org.kinora.core.moderation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.kinora.core.account.AccountAdminService;
import org.kinora.core.account.Role;
import org.kinora.core.common.Clock;
import org.kinora.core.common.Ids;
import org.kinora.core.common.KinoraException;
import org.kinora.core.common.Transactions;

/**
 * Moderator actions on reported (or held) items, the penalties they give by {@link StrikePolicy},
 * creators' appeals and their decisions. Each action, its reports' outcome, the penalty, the
 * account's recomputed standing and the audit line commit together; edge revocation
 * ({@link Takedowns}) runs after the commit.
 */
public final class ModerationService {
    public static final int MAX_REASON = 2000;
    public static final int MAX_SUSPENSION_DAYS = 3650;

    private final ActionRepository actions;
    private final ReportRepository reports;
    private final RestrictionRepository restrictions;
    private final Items items;
    private final AuditLog audit;
    private final AccountAdminService accounts;
    private final Takedowns takedowns;
    private final Transactions tx;
    private final Clock clock;

    public ModerationService(ActionRepository actions, ReportRepository reports, RestrictionRepository restrictions, Items items,
                             AuditLog audit, AccountAdminService accounts, Takedowns takedowns, Transactions tx, Clock clock) {
        this.actions = actions;
        this.reports = reports;
        this.restrictions = restrictions;
        this.items = items;
        this.audit = audit;
        this.accounts = accounts;
        this.takedowns = takedowns;
        this.tx = tx;
        this.clock = clock;
    }

    /** What a moderator asks for. {@code severe}: REMOVE or STRIKE terminates at once; {@code days}: a SUSPEND's length (null: no end). */
    public record Request(ItemKind kind, String itemId, ActionKind action, String reason, boolean severe, Integer days) {}

    public void requireModerator(String userId) {
        if (!accounts.role(userId).canModerate()) throw KinoraException.forbidden("Only moderators and admins may moderate.");
    }

    public ModerationAction act(String moderatorId, Request r) {
        requireModerator(moderatorId);
        if (!r.kind().reportable()) throw KinoraException.badRequest("invalid_kind", "kind must be video, comment, channel or live_chat.");
        String reason = reason(r.reason());
        if (r.days() != null && (r.days() < 1 || r.days() > MAX_SUSPENSION_DAYS)) {
            throw KinoraException.badRequest("invalid_days", "days must be 1 to " + MAX_SUSPENSION_DAYS + " (leave it out for no end).");
        }
        // A live chat message the chat no longer has (its live deleted) can still be decided on, by id alone.
        Items.Item item = r.kind() == ItemKind.LIVE_CHAT
                ? items.find(r.kind(), r.itemId()).orElse(new Items.Item(r.kind(), r.itemId(), null, null, null))
                : items.find(r.kind(), r.itemId()).orElseThrow(() -> KinoraException.notFound(ReportService.label(r.kind())));
        String target = item.ownerId();
        boolean penalises = r.action() == ActionKind.WARN || r.action() == ActionKind.STRIKE || r.action() == ActionKind.SUSPEND
                || (r.action() == ActionKind.REMOVE && r.kind() != ItemKind.COMMENT && r.kind() != ItemKind.LIVE_CHAT);
        if (penalises && target == null) {
            throw KinoraException.badRequest("no_owner", "This item has no known owner to warn, strike or suspend.");
        }
        if (penalises && accounts.role(target) != Role.USER && accounts.role(moderatorId) != Role.ADMIN) {
            throw KinoraException.forbidden("Only admins may penalise moderators and admins.");
        }
        if (r.action() == ActionKind.AGE_RESTRICT || r.action() == ActionKind.MARK_SENSITIVE || r.action() == ActionKind.APPROVE) {
            if (r.kind() != ItemKind.VIDEO && !(r.action() == ActionKind.APPROVE && r.kind() == ItemKind.COMMENT)) {
                throw KinoraException.badRequest("not_applicable", r.action().wireName() + " applies to videos only.");
            }
        }
        ModerationAction done = tx.inTransaction(() -> {
            if (penalises) restrictions.lockStanding(target); // before the history is read for the next penalty
            // The time is read once the lock is held. Read before, a concurrent action that committed
            // while this one waited could lie in this action's future, and the standing (which counts
            // what is not after "now") would leave it out: two strikes at once stored as one.
            Instant now = now();
            Penalty penalty = null;
            Instant until = null;
            switch (r.action()) {
                case DISMISS -> {}
                case REMOVE -> {
                    switch (r.kind()) {
                        case VIDEO -> {
                            restrictions.setTakedown(item.id(), now, reason);
                            items.videoListingChanged(item.id(), moderatorId);
                            items.videoReviewed(item.id(), moderatorId, target, false, reason);
                            penalty = StrikePolicy.nextPenalty(history(target), r.severe());
                        }
                        case COMMENT -> items.removeComment(item.id(), moderatorId);
                        case CHANNEL -> penalty = Penalty.TERMINATION;
                        case LIVE_CHAT -> {
                            if (items.removeLiveChat(item.id(), moderatorId)) tx.afterCommit(() -> items.liveChatRemoved(item.id()));
                        }
                        // never reported
                        case EMAIL_DOMAIN, ACCOUNT, JOB, JOB_KIND, INSTANCE -> {}
                    }
                }
                case STRIKE -> penalty = StrikePolicy.nextPenalty(history(target), r.severe());
                case WARN -> penalty = Penalty.WARNING;
                case SUSPEND -> {
                    penalty = Penalty.SUSPENSION;
                    until = r.days() == null ? null : now.plus(Duration.ofDays(r.days()));
                }
                case AGE_RESTRICT -> restrictions.setAgeRestricted(item.id(), true);
                case MARK_SENSITIVE -> restrictions.setSensitive(item.id(), true);
                case APPROVE -> {
                    if (r.kind() == ItemKind.VIDEO) {
                        restrictions.setHold(item.id(), null, null);
                        items.videoListingChanged(item.id(), moderatorId);
                        items.videoReviewed(item.id(), moderatorId, target, true, reason);
                    } else {
                        items.approveComment(item.id());
                    }
                }
            }
            ModerationAction a = new ModerationAction(Ids.newId(), moderatorId, r.action(), r.kind(), item.id(), target, reason,
                    penalty, until, now, null);
            actions.insert(a);
            String outcome = outcome(r.action(), r.kind());
            reports.resolve(r.kind(), item.id(), r.action() == ActionKind.DISMISS ? Report.DISMISSED : Report.ACTIONED, outcome, now);
            if (penalty != null) recomputeStanding(target, now);
            audit.append(moderatorId, r.action().wireName(), r.kind(), item.id(), reason,
                    penalty == null ? "" : "penalty=" + penalty.wireName() + (until == null ? "" : " until=" + until)
                            + (target == null ? "" : " account=" + target), now);
            return a;
        });
        if (r.action() == ActionKind.REMOVE && r.kind() == ItemKind.VIDEO) tx.afterCommit(() -> takedowns.takenDown(item.id()));
        return done;
    }

    /** What reporters read once their report is closed. */
    static String outcome(ActionKind action, ItemKind kind) {
        String what = ReportService.label(kind).toLowerCase();
        return switch (action) {
            case DISMISS -> "Reviewed: the " + what + " does not break the community guidelines.";
            case REMOVE -> "Removed: the " + what + " was taken down.";
            case AGE_RESTRICT -> "Age-restricted: the " + what + " stays up for adults only.";
            case MARK_SENSITIVE -> "Marked sensitive: viewers are warned before it shows.";
            case WARN, STRIKE, SUSPEND -> "Action taken against the account responsible.";
            case APPROVE -> "Reviewed and approved.";
        };
    }

    /** A creator appeals one action against them, once. */
    public Appeal appeal(String userId, String actionId, String message) {
        if (message == null || message.isBlank() || message.length() > MAX_REASON) {
            throw KinoraException.badRequest("invalid_message", "Say why the decision is wrong, in 1 to " + MAX_REASON + " characters.");
        }
        ModerationAction a = actions.find(actionId).filter(x -> userId.equals(x.targetUserId()))
                .orElseThrow(() -> KinoraException.notFound("Moderation action"));
        if (a.action() == ActionKind.DISMISS || a.action() == ActionKind.APPROVE) {
            throw KinoraException.badRequest("not_appealable", "Only a decision against you can be appealed.");
        }
        if (a.revertedAt() != null) throw KinoraException.conflict("already_reverted", "This decision was already undone.");
        Instant now = now();
        Appeal appeal = new Appeal(a.id(), userId, message.strip(), Appeal.OPEN, null, null, now, null);
        if (!actions.insertAppeal(appeal)) {
            throw KinoraException.conflict("already_appealed", "Each decision can be appealed once, and this one was.");
        }
        return appeal;
    }

    /** A moderator accepts (undoing the action: the video returns, the strike goes) or rejects an appeal. */
    public Appeal decide(String moderatorId, String actionId, boolean accept, String reasonText) {
        requireModerator(moderatorId);
        String reason = reason(reasonText);
        ModerationAction a = actions.find(actionId).orElseThrow(() -> KinoraException.notFound("Moderation action"));
        if (moderatorId.equals(a.targetUserId())) throw KinoraException.forbidden("You cannot decide an appeal of your own.");
        Instant now = now();
        tx.inTransaction(() -> {
            if (a.penalty() != null && a.targetUserId() != null) restrictions.lockStanding(a.targetUserId());
            if (!actions.decideAppeal(actionId, accept ? Appeal.ACCEPTED : Appeal.REJECTED, moderatorId, reason, now)) {
                throw KinoraException.conflict("appeal_not_open", "There is no open appeal of this decision.");
            }
            if (accept) revert(a, now);
            audit.append(moderatorId, accept ? "appeal_accepted" : "appeal_rejected", a.kind(), a.itemId(), reason,
                    "action=" + a.id() + " " + a.action().wireName(), now);
        });
        if (accept && a.action() == ActionKind.REMOVE && a.kind() == ItemKind.VIDEO) tx.afterCommit(() -> takedowns.restored(a.itemId()));
        return actions.appeal(actionId).orElseThrow();
    }

    private void revert(ModerationAction a, Instant now) {
        actions.markReverted(a.id(), now);
        if (a.kind() == ItemKind.VIDEO) {
            switch (a.action()) {
                case REMOVE -> {
                    restrictions.setTakedown(a.itemId(), null, null);
                    items.videoListingChanged(a.itemId(), a.actorId());
                }
                case AGE_RESTRICT -> restrictions.setAgeRestricted(a.itemId(), false);
                case MARK_SENSITIVE -> restrictions.setSensitive(a.itemId(), false);
                default -> {}
            }
        }
        if (a.penalty() != null && a.targetUserId() != null) recomputeStanding(a.targetUserId(), now);
    }

    /** The account's standing now, from its whole history. */
    public Standing standing(String userId) {
        return StrikePolicy.standing(history(userId), now());
    }

    public List<ModerationAction> concerning(String userId) {
        return actions.concerning(userId);
    }

    public Optional<Appeal> appealOf(String actionId) {
        return actions.appeal(actionId);
    }

    public List<Appeal> openAppeals(String moderatorId, int limit) {
        requireModerator(moderatorId);
        return actions.openAppeals(limit);
    }

    public Optional<ModerationAction> action(String id) {
        return actions.find(id);
    }

    private List<StrikePolicy.Entry> history(String userId) {
        return actions.concerning(userId).stream().filter(a -> a.penalty() != null).map(ModerationAction::asEntry).toList();
    }

    /** Stores what the upload check reads: written with every penalty change, in the same transaction. */
    private void recomputeStanding(String userId, Instant now) {
        Standing s = StrikePolicy.standing(history(userId), now);
        restrictions.saveStanding(userId, new RestrictionRepository.StoredStanding(s.frozenUntil(), s.suspendedUntil(),
                s.terminated() ? now : null));
    }

    /**
     * To the microsecond, as the database keeps times: a nanosecond clock reading would round up
     * when stored, and the penalty just given would then lie in the future of the standing that
     * counts it.
     */
    private Instant now() {
        return clock.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    static String reason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw KinoraException.badRequest("reason_required", "Every moderation decision needs a reason; write one.");
        }
        if (reason.length() > MAX_REASON) throw KinoraException.badRequest("invalid_reason", "The reason is longer than " + MAX_REASON + " characters.");
        return reason.strip();
    }
}
