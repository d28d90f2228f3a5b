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

    /**
     * The ids among {@code videos} that an anonymous viewer may not see, for listings built from an
     * index that may lag (OpenSearch). One check per video here; implementations answer a page in
     * a few batched reads.
     */
    default java.util.Set<String> withheld(java.util.List<Video> videos) {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (Video v : videos) {
            try {
                check(v, null);
            } catch (org.kinora.core.common.KinoraException refused) {
                out.add(v.id());
            }
        }
        return out;
    }
}
