package org.kinora.core.video;

/**
 * A further say over who sees a video, after its own privacy rules: moderation withholds taken
 * down and held videos through it. Consulted on every {@link VideoService#visibleVideo} call, so
 * the API, the pages and the media origin all refuse such a video from the next request on.
 */
@FunctionalInterface
public interface VideoGate {
    VideoGate OPEN = (video, viewerId) -> {};

    /** Throws a 4xx-kind error when {@code viewerId} (null: anonymous) may not see {@code video}. */
    void check(Video video, String viewerId);
}
