package org.kinora.server.moderation;

import org.kinora.core.account.AccountAdminService;
import org.kinora.core.account.UserRepository;
import org.kinora.core.channel.ChannelService;
import org.kinora.core.common.Clock;
import org.kinora.core.events.DomainEvent;
import org.kinora.core.events.EventLog;
import org.kinora.core.moderation.HoldPolicy;
import org.kinora.core.moderation.RestrictionRepository;
import org.kinora.core.upload.ReviewHold;
import org.kinora.core.video.VideoRepository;

/**
 * The instance's hold policy applied to a completed upload (new accounts, channels below a number
 * of published videos, keywords in the title or description), in the completion transaction. The
 * policy is read per upload, since admins change it at run time; moderators' own uploads are never held.
 */
public final class UploadReviewHold implements ReviewHold {
    /** The policy in force now. */
    public interface Policy {
        HoldPolicy holds();
    }

    private final Policy policy;
    private final UserRepository users;
    private final VideoRepository videos;
    private final ChannelService channels;
    private final AccountAdminService accountAdmin;
    private final RestrictionRepository restrictions;
    private final EventLog events;
    private final Clock clock;

    public UploadReviewHold(Policy policy, UserRepository users, VideoRepository videos, ChannelService channels,
                            AccountAdminService accountAdmin, RestrictionRepository restrictions, EventLog events, Clock clock) {
        this.policy = policy;
        this.users = users;
        this.videos = videos;
        this.channels = channels;
        this.accountAdmin = accountAdmin;
        this.restrictions = restrictions;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public void uploadCompleted(String videoId, String ownerId) {
        HoldPolicy holds = policy.holds();
        if (holds.newAccountDays() == 0 && holds.minPublished() == 0 && !holds.videosByKeyword()) return;
        var owner = users.findById(ownerId);
        var video = videos.find(videoId);
        if (owner.isEmpty() || video.isEmpty() || accountAdmin.role(ownerId).canModerate()) return;
        long published = channels.details(ownerId, null).videoCount();
        holds.videoHold(owner.get().createdAt(), published, video.get().title(), video.get().description(), clock.now())
                .ifPresent(reason -> {
                    restrictions.setHold(videoId, clock.now(), reason);
                    // Listings and the search index look again (a no-op change of privacy, as every listing change is announced).
                    events.append(new DomainEvent.VideoUpdated(videoId, ownerId, video.get().privacy(), video.get().privacy()), clock.now());
                });
    }
}
