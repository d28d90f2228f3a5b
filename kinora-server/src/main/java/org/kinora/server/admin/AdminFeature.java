package org.kinora.server.admin;

import java.time.Duration;
import org.kinora.adapters.postgres.PgJobInspector;
import org.kinora.core.admin.AdminService;
import org.kinora.core.moderation.AuditTrail;
import org.kinora.core.upload.UploadService;
import org.kinora.core.video.VideoStatus;
import org.kinora.server.feature.Contributions;
import org.kinora.server.feature.Feature;
import org.kinora.server.feature.Platform;
import org.kinora.server.feature.SharedServices;

/**
 * Administration (issue 18b): the admin API and its roles, instance settings read again every
 * 15 seconds (a change made on another node reaches this one within that), and the replay of
 * dead jobs. A replayed transcode job of a video that failed with it puts the video back to
 * processing, so that its owner sees it being worked on again.
 */
public record AdminFeature(Platform p, SharedServices shared) implements Feature {
    @Override
    public void contribute(Contributions c) {
        var videos = p.engines().videos();
        AdminService admin = new AdminService(shared.adminDirectory, shared.accountAdmin, new PgJobInspector(p.engines().database()),
                shared.instanceSettings, AuditTrail.into(new org.kinora.adapters.postgres.PgAuditLog(p.engines().database()), p.clock()), shared.sessions::revokeAll, p.clock(), job -> {
                    if (!UploadService.TRANSCODE_JOB.equals(job.kind())) return;
                    videos.find(job.videoId()).filter(v -> v.status() == VideoStatus.FAILED && !v.isDeleted())
                            .ifPresent(v -> videos.updateStatus(v.id(), VideoStatus.PROCESSING, v.progress(), null));
                });
        c.routes(new AdminRoutes(admin, shared.auth, p.engines().jobs(), new HealthSummary(c.readiness(), c.meters()), p.wakeWorker()));
        c.every("reading instance settings", Duration.ofSeconds(15), Duration.ofSeconds(15), shared.instanceSettings::refresh);
    }
}
