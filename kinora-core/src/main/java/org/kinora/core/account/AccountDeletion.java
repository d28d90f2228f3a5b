package org.kinora.core.account;

import java.io.IOException;
import java.util.List;
import org.kinora.core.blob.BlobStore;
import org.kinora.core.comment.CommentRepository;
import org.kinora.core.common.Clock;
import org.kinora.core.common.ErrorKind;
import org.kinora.core.common.KinoraException;
import org.kinora.core.common.Transactions;
import org.kinora.core.events.DomainEvent;
import org.kinora.core.events.EventLog;
import org.kinora.core.moderation.AuditTrail;
import org.kinora.core.video.VideoService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deleting an account, by its owner (who confirms with the password) or by an admin. The policy
 * (docs/administration.md): every video is deleted as its owner would (it stops playing at once,
 * its files are removed); every comment is deleted and its text erased, while replies by others
 * stay; watch history, subscriptions, playlists, notifications, sessions and tokens are removed;
 * likes and dislikes stay counted but belong to nobody nameable; the account and its channel
 * remain only as an anonymous "deleted account" row, so that what others wrote in reply still
 * hangs together, and it can never sign in again. The username and email are freed.
 *
 * <p>Crash safety: videos and comments are deleted one by one first (each is final on its own),
 * then the rest in one transaction; running the deletion again after a crash finishes it.
 */
public final class AccountDeletion {
    private static final Logger log = LoggerFactory.getLogger(AccountDeletion.class);

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final AccountAdminService roles;
    private final VideoService videos;
    private final CommentRepository comments;
    private final PersonalData data;
    private final BlobStore blobs;
    private final EventLog events;
    private final Transactions tx;
    private final AuditTrail audit;
    private final Clock clock;
    private final SessionRevoker sessions;

    public AccountDeletion(UserRepository users, PasswordHasher hasher, AccountAdminService roles, VideoService videos,
                           CommentRepository comments, PersonalData data, BlobStore blobs, EventLog events, Transactions tx,
                           AuditTrail audit, Clock clock, SessionRevoker sessions) {
        this.users = users;
        this.hasher = hasher;
        this.roles = roles;
        this.videos = videos;
        this.comments = comments;
        this.data = data;
        this.blobs = blobs;
        this.events = events;
        this.tx = tx;
        this.audit = audit;
        this.clock = clock;
        this.sessions = sessions;
    }

    /** The owner deletes their own account, confirming with the password. */
    public void deleteOwn(String userId, String password) {
        User user = users.findById(userId).orElseThrow(() -> KinoraException.notFound("Account"));
        if (password == null || !hasher.verify(password, user.passwordHash())) {
            throw new KinoraException(ErrorKind.FORBIDDEN, "wrong_password", "The password is wrong; give your current password to delete the account.");
        }
        if (roles.role(userId) == Role.ADMIN) {
            throw KinoraException.conflict("admin_account", "Admins cannot delete their own account; another admin must remove your admin role first.");
        }
        erase(userId);
    }

    /** An admin deletes an account (not another admin's: demote first). */
    public void deleteByAdmin(String adminId, String userId, String reason) {
        if (roles.role(adminId) != Role.ADMIN) throw KinoraException.forbidden("Only admins may delete accounts.");
        if (users.findById(userId).isEmpty()) throw KinoraException.notFound("Account");
        if (roles.role(userId) == Role.ADMIN) {
            throw KinoraException.conflict("admin_account", "Admin accounts cannot be deleted; change the role first.");
        }
        if (reason == null || reason.isBlank()) throw KinoraException.badRequest("missing_reason", "Say why: reason is required.");
        erase(userId);
        audit.record(adminId, "delete_account", "account", userId, reason.strip());
    }

    private void erase(String userId) {
        sessions.revokeAll(userId); // signed out everywhere before anything is removed
        List<String> owned = data.videoIds(userId);
        for (String id : owned) {
            try {
                videos.delete(id, userId);
            } catch (KinoraException gone) {
                log.info("video {} of account {} was already gone: {}", id, userId, gone.getMessage());
            }
        }
        List<PersonalData.LiveComment> written = data.liveComments(userId);
        for (PersonalData.LiveComment c : written) {
            tx.inTransaction(() -> {
                if (comments.markDeleted(c.id(), clock.now())) {
                    events.append(new DomainEvent.CommentDeleted(c.id(), userId, c.videoId()), clock.now());
                }
                return null;
            });
        }
        data.erase(userId, clock.now());
        try {
            blobs.deletePrefix(org.kinora.core.blob.BlobKeys.channelImage(userId, ""));
        } catch (IOException e) {
            log.warn("account {} deleted but its channel pictures could not be removed: {}", userId, e.toString());
        }
        log.info("account {} deleted: {} video(s), {} comment(s)", userId, owned.size(), written.size());
    }
}
