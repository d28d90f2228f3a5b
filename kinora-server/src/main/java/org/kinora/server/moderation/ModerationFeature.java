package org.kinora.server.moderation;

import org.kinora.adapters.postgres.PgActionRepository;
import org.kinora.adapters.postgres.PgAuditLog;
import org.kinora.adapters.postgres.PgBlockRepository;
import org.kinora.adapters.postgres.PgCommentRepository;
import org.kinora.adapters.postgres.PgReportRepository;
import org.kinora.adapters.postgres.PgRestrictionRepository;
import org.kinora.core.common.RateLimiter;
import org.kinora.core.moderation.ModerationService;
import org.kinora.core.moderation.ReportService;
import org.kinora.core.moderation.Takedowns;
import org.kinora.server.config.KinoraConfig;
import org.kinora.server.feature.Contributions;
import org.kinora.server.feature.Feature;
import org.kinora.server.feature.Platform;
import org.kinora.server.feature.SharedServices;
import org.kinora.server.web.GuardedPage;

/**
 * Trust and safety: reports, the moderation queue and its actions, strikes and appeals, holds
 * before publication, blocking and the audit log (docs/moderation.md). The enforcement that other
 * features must obey (taken-down and held videos, frozen and suspended accounts) is
 * {@link SharedServices#restrictions}, built with the shared services, and so is the hold placed on a
 * completed upload ({@link SharedServices#uploadReviewHold}, {@link UploadReviewHold}), which the
 * uploads feature runs in its completion transaction.
 */
public record ModerationFeature(Platform p, SharedServices shared) implements Feature {
    /**
     * Told of takedowns and restorations after they commit. The change is announced on the live
     * bus like any committed change to a video, so the origin drops what it remembers of the video
     * (it keeps a public video's state for up to a second) and refuses it on the next request, on
     * every node sharing the bus; the CDN tiers learn it from the playback revocation list
     * (docs/edge.md: within about 4 s) and send its requests past their caches to the origin.
     */
    private Takedowns takedowns() {
        var changed = org.kinora.core.video.VideoChanged.topic(p.engines().bus());
        return new Takedowns() {
            @Override
            public void takenDown(String videoId) {
                changed.publish(new org.kinora.core.video.VideoChanged(videoId));
                shared.playbackRevocations.revoke(videoId, "takedown");
            }

            @Override
            public void restored(String videoId) {
                changed.publish(new org.kinora.core.video.VideoChanged(videoId));
                shared.playbackRevocations.reinstate(videoId);
            }
        };
    }

    @Override
    public void contribute(Contributions c) {
        var db = p.engines().database();
        var clock = p.clock();
        KinoraConfig.Moderation config = p.config().moderation();
        var restrictionStore = new PgRestrictionRepository(db);
        var reports = new PgReportRepository(db);
        var audit = new PgAuditLog(db);
        var blocks = new PgBlockRepository(db);
        var commentStore = new PgCommentRepository(db);
        var items = new ModerationItems(shared.videos, commentStore, shared.channels, restrictionStore,
                new org.kinora.adapters.postgres.PgChatRepository(db), org.kinora.core.live.LiveChat.topic(p.engines().bus()),
                p.engines().events(), clock);
        var reporting = new ReportService(reports, items,
                RateLimiter.perHour("report", config.reportsPerHour(), Math.min(config.reportsPerHour(), 10), clock), clock);
        var moderation = new ModerationService(new PgActionRepository(db), reports, restrictionStore, items, audit, shared.accountAdmin,
                takedowns(), db, clock);

        c.routes(new StandingFilters(shared.restrictions, blocks, shared.auth),
                new ReportRoutes(reporting, shared.auth),
                new QueueRoutes(moderation, reports, items, shared.restrictions, restrictionStore, shared.auth),
                new StandingRoutes(moderation, items, restrictionStore, blocks, shared.videos, clock, shared.auth),
                new AuditRoutes(audit, moderation, shared.accounts, shared.auth),
                new HeldCommentRoutes(commentStore, restrictionStore, shared.videos, shared.accountAdmin, shared.auth),
                new BlockRoutes(blocks, shared.channels, shared.accountAdmin, audit, clock, shared.auth),
                new GuardedPage(p.config().mediaOrigin(), shared.accounts, shared.accountAdmin, shared.auth, "/admin/moderation",
                        "Page: the moderation queue (moderators)", "Moderation", "moderation", true,
                        user -> shared.accountAdmin.role(user).canModerate()));
    }
}
