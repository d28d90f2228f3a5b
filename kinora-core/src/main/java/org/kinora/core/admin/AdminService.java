package org.kinora.core.admin;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.kinora.core.account.AccountAdminService;
import org.kinora.core.account.Role;
import org.kinora.core.account.SessionRevoker;
import org.kinora.core.common.Clock;
import org.kinora.core.common.Cursors;
import org.kinora.core.common.KinoraException;
import org.kinora.core.common.Page;
import org.kinora.core.jobs.JobInspector;
import org.kinora.core.jobs.JobInspector.JobRecord;
import org.kinora.core.moderation.AuditTrail;

/**
 * The admin pages' operations, each checking the caller's role here (not only in the HTTP
 * layer): moderators read accounts and videos and suspend accounts; only admins approve
 * sign-ups, inspect and replay jobs and change instance settings. Every change is recorded in the
 * {@link AuditTrail}.
 */
public final class AdminService {
    private static final Set<String> VIDEO_STATES = Set.of("uploading", "processing", "ready", "failed", "deleted");
    private static final Set<String> JOB_STATES = Set.of("queued", "running", "dead", "done");

    private final AdminDirectory directory;
    private final AccountAdminService roles;
    private final JobInspector jobs;
    private final InstanceSettingsService settings;
    private final AuditTrail audit;
    private final SessionRevoker revoker;
    private final Clock clock;
    private final java.util.function.Consumer<JobRecord> onReplayed;

    public AdminService(AdminDirectory directory, AccountAdminService roles, JobInspector jobs, InstanceSettingsService settings,
                        AuditTrail audit, SessionRevoker revoker, Clock clock, java.util.function.Consumer<JobRecord> onReplayed) {
        this.onReplayed = onReplayed;
        this.directory = directory;
        this.roles = roles;
        this.jobs = jobs;
        this.settings = settings;
        this.audit = audit;
        this.revoker = revoker;
        this.clock = clock;
    }

    public void requireModerator(String actorId) {
        if (!roles.role(actorId).canModerate()) throw KinoraException.forbidden("Only moderators and admins may do this.");
    }

    public void requireAdmin(String actorId) {
        if (roles.role(actorId) != Role.ADMIN) throw KinoraException.forbidden("Only admins may do this.");
    }

    public Page<AdminDirectory.AccountRow> accounts(String actorId, Optional<String> query, Optional<String> cursor, int limit) {
        requireModerator(actorId);
        Optional<Cursors.Fields> after = cursor.map(c -> Cursors.decode(c, 2));
        List<AdminDirectory.AccountRow> rows = directory.accounts(query.map(String::trim).filter(q -> !q.isEmpty()),
                after.map(f -> f.instant(0)), after.map(f -> f.text(1)), Page.fetchSize(limit));
        return Page.of(rows, limit, r -> Cursors.encode(r.createdAt(), r.id()));
    }

    public Page<AdminDirectory.VideoRow> videos(String actorId, Optional<String> status, Optional<String> cursor, int limit) {
        requireModerator(actorId);
        status.ifPresent(s -> {
            if (!VIDEO_STATES.contains(s)) {
                throw KinoraException.badRequest("invalid_status", "status must be one of uploading, processing, ready, failed, deleted.");
            }
        });
        Optional<Cursors.Fields> after = cursor.map(c -> Cursors.decode(c, 2));
        List<AdminDirectory.VideoRow> rows = directory.videos(status, after.map(f -> f.instant(0)), after.map(f -> f.text(1)),
                Page.fetchSize(limit));
        return Page.of(rows, limit, r -> Cursors.encode(r.createdAt(), r.id()));
    }

    /** Moderators and admins; nobody suspends an admin (another admin demotes them first). */
    public void suspend(String actorId, String userId, String reason) {
        requireModerator(actorId);
        requireReason(reason);
        if (actorId.equals(userId)) throw KinoraException.badRequest("cannot_suspend_self", "You cannot suspend your own account.");
        roles.settings(userId); // 404 for an unknown account
        if (roles.role(userId) == Role.ADMIN) {
            throw KinoraException.forbidden("Admins cannot be suspended; another admin must change their role first.");
        }
        if (roles.role(userId) == Role.MODERATOR && roles.role(actorId) != Role.ADMIN) {
            throw KinoraException.forbidden("Only admins may suspend moderators.");
        }
        directory.suspend(userId, reason.strip(), clock.now());
        revoker.revokeAll(userId);
        audit.record(actorId, "suspend", "account", userId, reason.strip());
    }

    public void unsuspend(String actorId, String userId, String reason) {
        requireModerator(actorId);
        roles.settings(userId);
        directory.unsuspend(userId);
        audit.record(actorId, "unsuspend", "account", userId, reason == null ? "" : reason.strip());
    }

    public void approve(String actorId, String userId) {
        requireAdmin(actorId);
        roles.settings(userId);
        directory.setAwaitingApproval(userId, false);
        audit.record(actorId, "approve_signup", "account", userId, "");
    }

    public AdminDirectory.Standing standing(String userId) {
        return directory.standing(userId);
    }

    // ---- jobs ----

    public Page<JobRecord> jobs(String actorId, Optional<String> status, Optional<String> kind, Optional<String> cursor, int limit) {
        requireAdmin(actorId);
        status.ifPresent(s -> {
            if (!JOB_STATES.contains(s)) throw KinoraException.badRequest("invalid_status", "status must be one of queued, running, dead, done.");
        });
        Optional<Long> before = cursor.map(c -> Cursors.decode(c, 1).longValue(0));
        return Page.of(jobs.list(status, kind, before, Page.fetchSize(limit)), limit, j -> Cursors.encode(j.id()));
    }

    public JobRecord job(String actorId, long id) {
        requireAdmin(actorId);
        return jobs.find(id).orElseThrow(() -> KinoraException.notFound("Job"));
    }

    public List<JobInspector.KindCounts> jobCounts(String actorId) {
        requireAdmin(actorId);
        return jobs.counts();
    }

    public JobRecord replay(String actorId, long id) {
        JobRecord job = job(actorId, id);
        if (!"dead".equals(job.status())) {
            throw KinoraException.conflict("job_not_dead", "Job " + id + " is " + job.status() + "; only dead jobs are replayed.");
        }
        JobRecord replayed = jobs.replay(id).orElseThrow(() -> KinoraException.conflict("job_pending",
                "A " + job.kind() + " job for video " + job.videoId() + " is already queued or running; it does this work."));
        onReplayed.accept(replayed);
        audit.record(actorId, "replay_job", "job", Long.toString(id), job.lastError() == null ? "" : job.lastError());
        return replayed;
    }

    public List<JobRecord> replayDead(String actorId, String kind) {
        requireAdmin(actorId);
        if (kind == null || kind.isBlank()) throw KinoraException.badRequest("missing_kind", "Say which kind of dead jobs to replay: kind.");
        List<JobRecord> replayed = jobs.replayDead(kind.strip());
        replayed.forEach(onReplayed);
        audit.record(actorId, "replay_dead_jobs", "job_kind", kind.strip(), replayed.size() + " job(s)");
        return replayed;
    }

    // ---- instance settings ----

    public InstanceSettings settings(String actorId) {
        requireAdmin(actorId);
        return settings.current();
    }

    public InstanceSettings updateSettings(String actorId, String signUps, Long uploadQuotaBytes, Integer writesPerMinute,
                                           InstanceSettings.HoldsPatch holds) {
        requireAdmin(actorId);
        InstanceSettings s = settings.update(actorId, signUps, uploadQuotaBytes, writesPerMinute, holds);
        audit.record(actorId, "update_settings", "instance", "settings", s.toString());
        return s;
    }

    /** The config file's values, which the stored settings override. */
    public InstanceSettings settingsDefaults() { return settings.defaults(); }

    private static void requireReason(String reason) {
        if (reason == null || reason.isBlank()) throw KinoraException.badRequest("missing_reason", "Say why: reason is required.");
        if (reason.length() > 2000) throw KinoraException.badRequest("reason_too_long", "reason must be at most 2000 characters.");
    }
}
