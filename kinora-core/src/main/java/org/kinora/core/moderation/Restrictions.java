package org.kinora.core.moderation;

import java.time.Instant;
import java.util.Map;
import org.kinora.core.account.AccountAdminService;
import org.kinora.core.common.Clock;
import org.kinora.core.common.ErrorKind;
import org.kinora.core.common.KinoraException;
import org.kinora.core.upload.UploadQuota;
import org.kinora.core.video.Video;
import org.kinora.core.video.VideoGate;

/**
 * Enforces what moderation decided: a taken-down video, or any video of a terminated channel, is
 * gone for everyone (its owner reads why in Studio); a held video is seen only by its owner and moderators until approved; an account
 * that is frozen, suspended or terminated may not upload or go live.
 */
public final class Restrictions implements VideoGate {
    private final RestrictionRepository store;
    private final AccountAdminService accounts;
    private final Clock clock;

    public Restrictions(RestrictionRepository store, AccountAdminService accounts, Clock clock) {
        this.store = store;
        this.accounts = accounts;
        this.clock = clock;
    }

    @Override
    public void check(Video video, String viewerId) {
        if (store.standing(video.ownerId()).map(s -> s.terminatedAt() != null).orElse(false)) {
            throw new KinoraException(ErrorKind.GONE, "channel_terminated",
                    "This video is no longer available because its channel was terminated.", Map.of("video_id", video.id()));
        }
        VideoFlags flags = store.flags(video.id()).orElse(null);
        if (flags == null) return;
        if (flags.takenDown()) {
            throw new KinoraException(ErrorKind.GONE, "video_taken_down",
                    "This video was removed for violating the community guidelines.", Map.of("video_id", video.id()));
        }
        if (flags.held() && !video.isOwnedBy(viewerId) && !accounts.role(viewerId).canModerate()) {
            throw KinoraException.notFound("Video");
        }
    }

    /** Two batched reads for a page: the videos' flags, and the standing of their owners. */
    @Override
    public java.util.Set<String> withheld(java.util.List<Video> videos) {
        if (videos.isEmpty()) return java.util.Set.of();
        Map<String, VideoFlags> flags = store.flags(videos.stream().map(Video::id).toList());
        java.util.Set<String> terminated = new java.util.HashSet<>();
        for (String owner : videos.stream().map(Video::ownerId).distinct().toList()) {
            if (store.standing(owner).map(s -> s.terminatedAt() != null).orElse(false)) terminated.add(owner);
        }
        java.util.Set<String> out = new java.util.HashSet<>();
        for (Video v : videos) {
            VideoFlags f = flags.get(v.id());
            if (terminated.contains(v.ownerId()) || (f != null && (f.takenDown() || f.held()))) out.add(v.id());
        }
        return out;
    }

    /** Refuses uploads (and live streams) of an account that is frozen, suspended or terminated. */
    public void checkMayPublish(String userId) {
        String refusal = standingRefusal(userId, clock.now());
        if (refusal != null) {
            throw new KinoraException(ErrorKind.FORBIDDEN, "account_restricted", refusal + " See your standing in Studio.");
        }
    }

    /**
     * Refuses every write of a suspended or terminated account (appeals excepted, by the caller):
     * a blocked user can no longer comment, rate or report, not only not upload.
     */
    public void checkMayWrite(String userId) {
        var s = store.standing(userId).orElse(null);
        if (s == null) return;
        Instant now = clock.now();
        if (s.terminatedAt() != null || (s.suspendedUntil() != null && s.suspendedUntil().isAfter(now))) {
            String refusal = new Standing(false, 0, null, s.suspendedUntil(), s.terminatedAt() != null).refusal(now);
            throw new KinoraException(ErrorKind.FORBIDDEN, "account_suspended", refusal + " You can still appeal from Studio.");
        }
    }

    String standingRefusal(String userId, Instant now) {
        var s = store.standing(userId).orElse(null);
        if (s == null) return null;
        return new Standing(false, 0, s.frozenUntil(), s.suspendedUntil(), s.terminatedAt() != null).refusal(now);
    }

    /** The standing check followed by {@code quota}: what upload creation runs. */
    public UploadQuota before(UploadQuota quota) {
        return (owner, length) -> {
            checkMayPublish(owner);
            quota.check(owner, length);
        };
    }

    public VideoFlags flags(String videoId) {
        return store.flags(videoId).orElse(VideoFlags.none(videoId));
    }
}
