package org.kinora.core.video;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Port: a cache of video metadata (the row and its renditions) in front of the database, for
 * the hot {@code GET /api/v1/videos/{id}} path. Entries hold what is stored, never a decision:
 * callers check {@link Video#isVisibleTo} on every read, so a cached private video is never
 * shown to anyone but its owner. {@link CachingVideoRepository} drops an entry after every
 * committed change, so a deleted or privatised video stops being served at once.
 */
public interface VideoCache {
    /** What is cached per video. */
    record Entry(Video video, List<Rendition> renditions) {
        public Entry {
            renditions = List.copyOf(renditions);
        }
    }

    /**
     * The cached entry, or the loader's answer on a miss. Implementations let only one loader
     * run per id at a time (stampede protection); an empty answer (no such video) is not cached.
     */
    Optional<Entry> get(String videoId, Function<String, Optional<Entry>> loader);

    /** Forgets the entry, and makes sure a load that started before this call does not put it back. */
    void invalidate(String videoId);

    /** No cache: every read goes to the loader (the embedded default, where the database is local anyway). */
    static VideoCache none() {
        return new VideoCache() {
            @Override
            public Optional<Entry> get(String videoId, Function<String, Optional<Entry>> loader) {
                return loader.apply(videoId);
            }

            @Override
            public void invalidate(String videoId) {}
        };
    }
}
