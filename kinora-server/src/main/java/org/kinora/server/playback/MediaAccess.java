package org.kinora.server.playback;

import java.time.Duration;
import org.kinora.core.blob.BlobKeys;
import org.kinora.core.common.Clock;
import org.kinora.core.common.KinoraException;
import org.kinora.core.common.LiveBus;
import org.kinora.core.video.Video;
import org.kinora.core.video.VideoService;
import org.kinora.server.protection.ProtectedMedia;

/**
 * The checks every media request passes on either listener, in this order: the path names a file
 * Kinora publishes, the token is a valid grant for this video, and the video may be played by the
 * grant's viewer, as the database says (or, while it is down, what it last said of a public video:
 * see {@link LastKnownVideos}, one instance for both listeners). Country rules, age restriction
 * and protection are checked after this (see {@link MediaExchange.Shared#needsMainOrigin}).
 */
final class MediaAccess {
    private final PlaybackTokens tokens;
    private final VideoService videos;
    private final LastKnownVideos lastKnown;

    MediaAccess(PlaybackTokens tokens, VideoService videos, Duration offlineMaxAge, Clock clock, LiveBus bus) {
        this.tokens = tokens;
        this.videos = videos;
        this.lastKnown = new LastKnownVideos(offlineMaxAge, clock);
        // Every committed change to a video (privacy, deletion, status) is announced here, on every node sharing the bus.
        org.kinora.core.video.VideoChanged.topic(bus).subscribe(changed -> lastKnown.forget(changed.id()));
    }

    /**
     * The video, when {@code token} may have {@code path} of it and the answer needs nothing that
     * could wait (the video was read less than a second ago, see {@link LastKnownVideos}); empty in
     * every other case, refusals included: then {@link #check} decides, where waiting is allowed.
     */
    java.util.Optional<Video> checkWithoutWaiting(String token, String videoId, String path) {
        try {
            if (!BlobKeys.isPublishedMediaPath(path)) return java.util.Optional.empty();
            tokens.verify(token, videoId);
            return java.util.Optional.ofNullable(lastKnown.visibleWithoutWaiting(videoId, videos::visibleVideo));
        } catch (RuntimeException refusedOrFailed) {
            return java.util.Optional.empty();
        }
    }

    /** The video, when {@code token} may have {@code path} of it; else the refusal (400, 403, 404) as an exception. */
    Video check(String token, String videoId, String path) {
        if (!BlobKeys.isPublishedMediaPath(path) && !ProtectedMedia.isOwnPath(path)) {
            throw KinoraException.badRequest("invalid_media_path", "'" + path + "' is not a file Kinora publishes for a video.");
        }
        PlaybackTokens.Grant grant = tokens.verify(token, videoId);
        // The database decides; while it is unreachable, what it last said about a public video does.
        return lastKnown.visible(videoId, grant.viewerId(), videos::visibleVideo);
    }
}
