package org.kinora.server.videos;

import java.time.Instant;
import java.util.List;
import org.kinora.core.engagement.VideoStats;
import org.kinora.core.video.Rendition;
import org.kinora.core.video.Video;
import org.kinora.core.video.VideoStatus;
import org.kinora.server.channels.ChannelSummary;

/**
 * The public JSON shape of a video. {@code playback} is present once the video is playable.
 * {@code viewCount} is eventually consistent (see ViewRecorder). {@code myRating} and
 * {@code resumePositionSeconds} are filled for a signed-in viewer of a single video
 * ({@code GET /api/v1/videos/{id}}) and null in listings.
 */
public record VideoView(
        String id,
        String ownerId,
        ChannelSummary channel,
        String title,
        String description,
        String status,
        int progress,
        String failureReason,
        Double durationSeconds,
        Integer width,
        Integer height,
        String privacy,
        List<RenditionView> renditions,
        Playback playback,
        long viewCount,
        long likeCount,
        long dislikeCount,
        long commentCount,
        String myRating,
        Double resumePositionSeconds,
        Instant createdAt,
        Instant publishedAt,
        List<String> tags) {

    public record RenditionView(String name, int width, int height, int bandwidth) {}

    /**
     * {@code clearkeyLicenseUrl}: set for a protected video (its DASH tracks are CENC-encrypted; a
     * W3C ClearKey licence is POSTed there). {@code refusal}: set, and everything else null, when
     * this viewer may not play the video (age restriction): no playback token was minted.
     */
    public record Playback(String hls, String dash, String poster, String storyboard, String clearkeyLicenseUrl, Refusal refusal) {}

    /** Why this viewer may not play the video: {@code code} for clients, {@code message} for people. */
    public record Refusal(String code, String message) {}

    static List<RenditionView> renditions(List<Rendition> renditions) {
        return renditions.stream().filter(r -> !r.isAudio())
                .map(r -> new RenditionView(r.name(), r.width(), r.height(), r.bandwidth())).toList();
    }

    static VideoView of(Video v, List<Rendition> renditions, Playback playback, ChannelSummary channel, VideoStats stats,
                        String myRating, Double resumePositionSeconds) {
        return new VideoView(v.id(), v.ownerId(), channel, v.title(), v.description(), v.status().wireName(), v.progress(),
                v.failureReason(), v.durationSeconds(), v.width(), v.height(), v.privacy().wireName(),
                renditions(renditions), v.status() == VideoStatus.READY ? playback : null,
                stats.viewCount(), stats.likeCount(), stats.dislikeCount(), stats.commentCount(),
                myRating, resumePositionSeconds, v.createdAt(), v.publishedAt(), v.tags());
    }
}
