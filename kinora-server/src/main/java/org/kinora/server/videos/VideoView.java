package org.kinora.server.videos;

import java.time.Instant;
import java.util.List;
import org.kinora.core.video.Rendition;
import org.kinora.core.video.Video;
import org.kinora.core.video.VideoStatus;

/** The public JSON shape of a video. {@code playback} is present once the video is playable. */
public record VideoView(
        String id,
        String ownerId,
        Channel channel,
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
        Instant createdAt,
        Instant publishedAt,
        List<String> tags) {

    public record RenditionView(String name, int width, int height, int bandwidth) {}

    /** Who published the video, for showing their name next to it. */
    public record Channel(String id, String name) {}

    public record Playback(String hls, String dash, String poster, String storyboard) {}

    static VideoView of(Video v, String channelName, List<Rendition> renditions, Playback playback) {
        return new VideoView(v.id(), v.ownerId(), new Channel(v.ownerId(), channelName), v.title(), v.description(), v.status().wireName(), v.progress(),
                v.failureReason(), v.durationSeconds(), v.width(), v.height(), v.privacy().wireName(),
                renditions.stream().filter(r -> !r.isAudio())
                        .map(r -> new RenditionView(r.name(), r.width(), r.height(), r.bandwidth())).toList(),
                v.status() == VideoStatus.READY ? playback : null,
                v.createdAt(), v.publishedAt(), v.tags());
    }
}
