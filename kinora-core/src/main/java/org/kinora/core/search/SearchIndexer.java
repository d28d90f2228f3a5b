package org.kinora.core.search;

import java.util.Set;
import org.kinora.core.events.EventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an engine's own index in step with the videos. It reacts to a video event by reading the
 * video's current state, never the event's payload: the document is indexed when the video is
 * publicly listed now and removed otherwise. That makes handling idempotent and order-insensitive,
 * as at-least-once delivery requires, and covers privacy changes (a video.updated that made a
 * video private removes it) and failures alike.
 */
public final class SearchIndexer {
    private static final Logger log = LoggerFactory.getLogger(SearchIndexer.class);

    /**
     * Video events after which a video's document or searchability may have changed; a counted
     * view changes the document's view total and trending heat.
     */
    public static final Set<EventType> EVENT_TYPES = Set.of(
            EventType.VIDEO_PUBLISHED, EventType.VIDEO_PROCESSED, EventType.VIDEO_UPDATED, EventType.VIDEO_DELETED,
            EventType.VIDEO_FAILED, EventType.VIDEO_VIEWED);

    private final SearchEngine engine;
    private final SearchDocumentSource source;

    public SearchIndexer(SearchEngine engine, SearchDocumentSource source) {
        this.engine = engine;
        this.source = source;
    }

    /** Brings the index entry of {@code videoId} up to date with the video as it is now. */
    public void refresh(String videoId) {
        source.listed(videoId).ifPresentOrElse(engine::index, () -> engine.remove(videoId));
    }

    /** Rebuilds the whole index; returns the number of documents. */
    public long rebuildAll() {
        long n = engine.rebuild(source);
        log.info("search index ({}) rebuilt with {} video(s)", engine.name(), n);
        return n;
    }
}
