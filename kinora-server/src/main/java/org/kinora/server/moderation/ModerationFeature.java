package org.kinora.server.moderation;

import java.util.Set;
import org.kinora.adapters.postgres.PgActionRepository;
import org.kinora.adapters.postgres.PgAuditLog;
import org.kinora.adapters.postgres.PgBlockRepository;
import org.kinora.adapters.postgres.PgCommentRepository;
import org.kinora.adapters.postgres.PgReportRepository;
import org.kinora.adapters.postgres.PgRestrictionRepository;
import org.kinora.core.common.RateLimiter;
import org.kinora.core.events.DomainEvent;
import org.kinora.core.events.EventType;
import org.kinora.core.moderation.HoldPolicy;
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
 * {@link SharedServices#restrictions}, built with the shared services.
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

        {
            // Held as soon as the upload completes: transcoding takes longer than the dispatcher's lag, and a held
            // video that slipped out for that moment is still withheld from the next request on. Always consumed,
            // since admins turn the holds on and off at run time; the policy in force is read per upload.
            c.consume("moderation-holds", Set.of(EventType.VIDEO_UPLOADED), e -> {
                if (!(e.event() instanceof DomainEvent.VideoUploaded u)) return;
                HoldPolicy holds = shared.instanceSettings.holds();
                if (holds.newAccountDays() == 0 && holds.minPublished() == 0 && !holds.videosByKeyword()) return;
                var owner = shared.users.findById(u.ownerId());
                var video = shared.videos.anyState(u.videoId());
                if (owner.isEmpty() || video.isEmpty() || shared.accountAdmin.role(u.ownerId()).canModerate()) return;
                long published = shared.channels.details(u.ownerId(), null).videoCount();
                holds.videoHold(owner.get().createdAt(), published, video.get().title(), video.get().description(), clock.now())
                        .ifPresent(reason -> db.inTransaction(() -> {
                            restrictionStore.setHold(u.videoId(), clock.now(), reason);
                            items.videoListingChanged(u.videoId(), u.ownerId());
                        }));
            });
        }
    }
}
