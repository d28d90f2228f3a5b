package org.kinora.server.admin;

import static org.kinora.server.http.ApiRole.ADMIN;
import static org.kinora.server.http.ApiRole.IDEMPOTENT;
import static org.kinora.server.http.ApiRole.MODERATOR;
import static org.kinora.server.http.ApiRole.SIGNED_IN;
import static org.kinora.server.http.ApiRole.WRITE_LIMITED;
import static org.kinora.server.http.Doc.doc;

import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;
import org.kinora.core.admin.AdminService;
import org.kinora.core.admin.InstanceSettings;
import org.kinora.core.common.KinoraException;
import org.kinora.core.common.Page;
import org.kinora.core.jobs.JobQueue;
import org.kinora.server.auth.AuthRoutes;
import org.kinora.server.http.Api;
import org.kinora.server.http.ApiRole;
import org.kinora.server.http.Authenticator;
import org.kinora.server.http.ListResponse;
import org.kinora.server.http.Params;
import org.kinora.server.http.Routes;

/**
 * {@code /api/v1/admin/...}: accounts (search, suspend, approve), videos in every state, the job
 * queue (inspect, replay dead jobs), instance settings and a health summary. Each route declares
 * {@link ApiRole#ADMIN} or {@link ApiRole#MODERATOR}; a filter here answers 401/403 before the
 * handler, and {@link AdminService} checks the role again.
 */
final class AdminRoutes implements Routes {
    private final AdminService admin;
    private final Authenticator auth;
    private final JobQueue queue;
    private final HealthSummary health;
    private final Runnable wakeWorker;

    AdminRoutes(AdminService admin, Authenticator auth, JobQueue queue, HealthSummary health, Runnable wakeWorker) {
        this.admin = admin;
        this.auth = auth;
        this.queue = queue;
        this.health = health;
        this.wakeWorker = wakeWorker;
    }

    record Reason(String reason) {}

    record ReplayKind(String kind) {}

    record SettingsPatch(String signups, Long uploadQuotaBytes, Integer writesPerMinute, Integer holdNewAccountDays,
                         Integer holdUntilPublished, String holdKeywords, Boolean holdVideosByKeyword) {}

    record SettingsView(String signups, long uploadQuotaBytes, int writesPerMinute, int holdNewAccountDays, int holdUntilPublished,
                        String holdKeywords, boolean holdVideosByKeyword, SettingsDefaults defaults) {}

    record SettingsDefaults(String signups, long uploadQuotaBytes, int writesPerMinute, int holdNewAccountDays, int holdUntilPublished,
                            String holdKeywords, boolean holdVideosByKeyword) {}

    record Replayed(int replayed, List<?> jobs) {}

    record JobsSummary(JobQueue.QueueStats total, List<?> kinds) {}

    @Override
    public void register(Api app) {
        app.beforeMatched(ctx -> {
            if (ctx.routeRoles().contains(ApiRole.ADMIN)) admin.requireAdmin(auth.requireUser(ctx));
            else if (ctx.routeRoles().contains(ApiRole.MODERATOR)) admin.requireModerator(auth.requireUser(ctx));
        });
        app.get("/api/v1/admin/users", doc("Moderators: accounts, newest first; ?q= matches the start of username or email", SIGNED_IN, MODERATOR), ctx -> {
            String actor = auth.requireUser(ctx);
            list(ctx, admin.accounts(actor, Optional.ofNullable(ctx.queryParam("q")), cursor(ctx), Params.limit(ctx, 50, 200)));
        });
        app.post("/api/v1/admin/users/{id}/suspension", doc("Moderators: suspend an account (signed out everywhere, cannot sign in)", SIGNED_IN, MODERATOR, WRITE_LIMITED, IDEMPOTENT).body(Reason.class), ctx -> {
            admin.suspend(auth.requireUser(ctx), ctx.pathParam("id"), AuthRoutes.body(ctx, Reason.class).reason());
            ctx.status(204);
        });
        app.delete("/api/v1/admin/users/{id}/suspension", doc("Moderators: lift a suspension", SIGNED_IN, MODERATOR, WRITE_LIMITED, IDEMPOTENT), ctx -> {
            admin.unsuspend(auth.requireUser(ctx), ctx.pathParam("id"), ctx.queryParam("reason"));
            ctx.status(204);
        });
        app.post("/api/v1/admin/users/{id}/approval", doc("Admins: approve an account that waits for approval", SIGNED_IN, ADMIN, WRITE_LIMITED, IDEMPOTENT), ctx -> {
            admin.approve(auth.requireUser(ctx), ctx.pathParam("id"));
            ctx.status(204);
        });
        app.get("/api/v1/admin/videos", doc("Moderators: videos in every state (?status=uploading|processing|ready|failed|deleted), with failure reasons and progress", SIGNED_IN, MODERATOR), ctx -> {
            String actor = auth.requireUser(ctx);
            list(ctx, admin.videos(actor, Optional.ofNullable(ctx.queryParam("status")), cursor(ctx), Params.limit(ctx, 50, 200)));
        });
        app.get("/api/v1/admin/jobs", doc("Admins: jobs newest first (?status=queued|running|dead|done, ?kind=)", SIGNED_IN, ADMIN), ctx -> {
            String actor = auth.requireUser(ctx);
            list(ctx, admin.jobs(actor, Optional.ofNullable(ctx.queryParam("status")), Optional.ofNullable(ctx.queryParam("kind")),
                    cursor(ctx), Params.limit(ctx, 50, 200)));
        });
        app.get("/api/v1/admin/jobs/summary", doc("Admins: jobs by state, in total and per kind", SIGNED_IN, ADMIN), ctx -> {
            String actor = auth.requireUser(ctx);
            ctx.json(new JobsSummary(queue.stats(), admin.jobCounts(actor)));
        });
        app.get("/api/v1/admin/jobs/{id}", doc("Admins: one job with its last error", SIGNED_IN, ADMIN), ctx ->
                ctx.json(admin.job(auth.requireUser(ctx), jobId(ctx))));
        app.post("/api/v1/admin/jobs/{id}/replay", doc("Admins: queue a dead job again with fresh attempts", SIGNED_IN, ADMIN, WRITE_LIMITED, IDEMPOTENT), ctx -> {
            var job = admin.replay(auth.requireUser(ctx), jobId(ctx));
            wakeWorker.run();
            ctx.json(job);
        });
        app.post("/api/v1/admin/jobs/replay", doc("Admins: queue every dead job of a kind again", SIGNED_IN, ADMIN, WRITE_LIMITED, IDEMPOTENT).body(ReplayKind.class), ctx -> {
            var jobs = admin.replayDead(auth.requireUser(ctx), AuthRoutes.body(ctx, ReplayKind.class).kind());
            wakeWorker.run();
            ctx.json(new Replayed(jobs.size(), jobs));
        });
        app.get("/api/v1/admin/settings", doc("Admins: the instance settings in force and the config defaults", SIGNED_IN, ADMIN), ctx ->
                ctx.json(view(admin.settings(auth.requireUser(ctx)))));
        app.patch("/api/v1/admin/settings", doc("Admins: change sign-ups (open, approval, closed), the default upload quota, the write budget or the holds before publication; effective at once", SIGNED_IN, ADMIN, WRITE_LIMITED, IDEMPOTENT).body(SettingsPatch.class), ctx -> {
            String actor = auth.requireUser(ctx);
            SettingsPatch p = AuthRoutes.body(ctx, SettingsPatch.class);
            ctx.json(view(admin.updateSettings(actor, p.signups(), p.uploadQuotaBytes(), p.writesPerMinute(),
                    new InstanceSettings.HoldsPatch(p.holdNewAccountDays(), p.holdUntilPublished(), p.holdKeywords(), p.holdVideosByKeyword()))));
        });
        app.get("/api/v1/admin/health", doc("Admins: readiness checks and the main metrics", SIGNED_IN, ADMIN), ctx -> {
            auth.requireUser(ctx);
            ctx.json(health.summary());
        });
    }

    private SettingsView view(InstanceSettings s) {
        InstanceSettings d = admin.settingsDefaults();
        return new SettingsView(s.signUps().wireName(), s.uploadQuotaBytes(), s.writesPerMinute(), s.holds().newAccountDays(),
                s.holds().minPublished(), String.join(", ", s.holds().keywords()), s.holds().videosByKeyword(),
                new SettingsDefaults(d.signUps().wireName(), d.uploadQuotaBytes(), d.writesPerMinute(), d.holds().newAccountDays(),
                        d.holds().minPublished(), String.join(", ", d.holds().keywords()), d.holds().videosByKeyword()));
    }

    private static Optional<String> cursor(Context ctx) {
        return Optional.ofNullable(ctx.queryParam("cursor")).filter(c -> !c.isBlank());
    }

    private static long jobId(Context ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw KinoraException.badRequest("invalid_job_id", "A job id is a number.");
        }
    }

    private static <T> void list(Context ctx, Page<T> page) {
        ctx.header("Cache-Control", "no-store");
        ctx.json(new ListResponse<>(page.items(), page.nextCursorOrNull()));
    }
}
