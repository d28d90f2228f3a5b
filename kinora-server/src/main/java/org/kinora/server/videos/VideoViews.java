package org.kinora.server.videos;

import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.kinora.core.blob.BlobKeys;
import org.kinora.core.channel.Channel;
import org.kinora.core.channel.ChannelService;
import org.kinora.core.engagement.RatingService;
import org.kinora.core.engagement.VideoStats;
import org.kinora.core.engagement.VideoStatsRepository;
import org.kinora.core.video.Video;
import org.kinora.core.video.VideoService;
import org.kinora.core.video.VideoStatus;
import org.kinora.core.view.HistoryService;
import org.kinora.server.channels.ChannelSummary;
import org.kinora.server.http.ForwardedHeaders;
import org.kinora.server.playback.PlaybackTokens;

/**
 * Turns stored videos into their JSON shape, with channels, counters and signed playback URLs.
 * A listing costs two extra queries (channels, counters) for the whole
 * page, not two per video.
 */
public final class VideoViews {
    private final VideoService videos;
    private final ChannelService channels;
    private final VideoStatsRepository stats;
    private final RatingService ratings;
    private final HistoryService history;
    private final PlaybackTokens playbackTokens;
    private final Optional<String> publicUrl;
    /** {@code delivery.media-url}: where viewers reach the media port (SendfileOrigin); empty: this listener. */
    private final Optional<String> mediaUrl;
    /** Age restriction and content protection: no token for an ineligible viewer; protected videos' encrypted URLs. */
    private final org.kinora.server.protection.PlaybackGate gate;

    public VideoViews(VideoService videos, ChannelService channels, VideoStatsRepository stats, RatingService ratings,
                      HistoryService history, PlaybackTokens playbackTokens, Optional<String> publicUrl,
                      Optional<String> mediaUrl, org.kinora.server.protection.PlaybackGate gate) {
        this.mediaUrl = mediaUrl;
        this.gate = gate;
        this.videos = videos;
        this.channels = channels;
        this.stats = stats;
        this.ratings = ratings;
        this.history = history;
        this.playbackTokens = playbackTokens;
        this.publicUrl = publicUrl;
    }

    /** One page of videos (no per-viewer fields); channels and counters in one query each. */
    public List<VideoView> views(Context ctx, List<Video> page, String viewer) {
        if (page.isEmpty()) return List.of();
        Set<String> ids = page.stream().map(Video::id).collect(Collectors.toSet());
        Map<String, Channel> owners = channels.channels(page.stream().map(Video::ownerId).collect(Collectors.toSet()));
        Map<String, VideoStats> counters = stats.find(ids);
        Map<String, List<org.kinora.core.video.Rendition>> renditions = videos.renditions(ids);
        return page.stream().map(v -> VideoView.of(v, renditions.getOrDefault(v.id(), List.of()), playback(ctx, v, viewer),
                ChannelSummary.of(owners.get(v.ownerId())), counters.getOrDefault(v.id(), VideoStats.zero(v.id())),
                null, null)).toList();
    }

    /** One video, with the signed-in viewer's rating and resume position. */
    public VideoView view(Context ctx, Video v, String viewer) {
        Map<String, Channel> owner = channels.channels(List.of(v.ownerId()));
        VideoStats counters = stats.find(List.of(v.id())).getOrDefault(v.id(), VideoStats.zero(v.id()));
        String myRating = viewer == null ? null : ratings.ratingOf(v.id(), viewer).wireName();
        Double resume = viewer == null ? null : history.resumePosition(viewer, v.id());
        return VideoView.of(v, videos.renditions(v.id()), playback(ctx, v, viewer), ChannelSummary.of(owner.get(v.ownerId())),
                counters, myRating, resume);
    }

    private VideoView.Playback playback(Context ctx, Video v, String viewer) {
        if (v.status() != VideoStatus.READY) return null;
        // No token at all for a viewer who may not watch: CDN edges check the token alone (issue 17).
        var refused = gate.refusal(v, viewer);
        if (refused.isPresent()) {
            return new VideoView.Playback(null, null, null, null, null,
                    new VideoView.Refusal(refused.get().code(), refused.get().message()));
        }
        // A private video's URL works for whoever holds it, so it lives only about as long as one viewing.
        String token = v.privacy() == org.kinora.core.video.Privacy.PRIVATE
                ? playbackTokens.issuePrivate(v.id(), viewer, v.durationSeconds())
                : playbackTokens.issue(v.id(), viewer);
        String base = mediaUrl.orElseGet(() -> baseUrl(ctx)) + "/media/" + token + "/" + v.id() + "/";
        // The storyboard is made last; until then there is nothing at its URL.
        String storyboard = v.progress() >= 100 ? base + BlobKeys.storyboardPath() : null;
        if (gate.isProtected(v.id())) {
            // The encrypted copies have URLs of their own (docs/content-protection.md); the licence sits beside them.
            return new VideoView.Playback(base + "aes/" + BlobKeys.MASTER_PLAYLIST, base + gate.protectedDashManifest(),
                    base + BlobKeys.posterPath(v.posterRevision()), storyboard, base + "licence", null);
        }
        return new VideoView.Playback(base + BlobKeys.MASTER_PLAYLIST, base + BlobKeys.DASH_MANIFEST, base + BlobKeys.posterPath(v.posterRevision()),
                storyboard, null, null);
    }

    /**
     * Scheme and authority of absolute URLs: {@code server.public-url}, else what
     * {@link ForwardedHeaders} vetted for this request (never a raw Host or X-Forwarded-Host).
     */
    public String baseUrl(Context ctx) {
        return publicUrl.or(() -> ForwardedHeaders.baseUrl(ctx)).orElseGet(() -> "http://localhost:" + ctx.req().getLocalPort());
    }
}
