package org.kinora.core.engagement;

/** The counters shown with a video. View counts are eventually consistent (see ViewRecorder). */
public record VideoStats(String videoId, long viewCount, long likeCount, long dislikeCount, long commentCount) {
    public static VideoStats zero(String videoId) { return new VideoStats(videoId, 0, 0, 0, 0); }
}
