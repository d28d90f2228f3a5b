package org.kinora.core.search;

import java.util.List;
import org.kinora.core.common.Page;

/**
 * Port: full-text search and discovery over publicly listed videos (public, ready, not deleted).
 * Queries return video ids, best first; callers load the videos themselves. Two adapters: the
 * PostgreSQL one reads the live tables (nothing to keep in sync, {@link #index} and
 * {@link #remove} do nothing); the OpenSearch one keeps its own index, fed by {@link SearchIndexer}.
 */
public interface SearchEngine {
    /** Short name for logs and metrics ("postgres", "opensearch"). */
    String name();

    /** Whether this engine keeps its own copy of the documents (and so needs indexing). */
    boolean keepsOwnIndex();

    /** Adds or replaces the document of a publicly listed video. Idempotent. */
    void index(SearchDocument document);

    /** Removes a video from the index; removing an absent one is fine. */
    void remove(String videoId);

    /** Rebuilds the whole index from {@code source}; returns how many documents it holds. */
    long rebuild(SearchDocumentSource source);

    /** Video ids matching the query, one page, with the cursor of the next page when there is one. */
    Page<String> videos(SearchQuery query);

    /** Channels (owners of at least one listed video) whose name matches {@code text}. */
    List<ChannelHit> channels(String text, int limit);

    /** Titles completing what the viewer has typed so far, for the search box. */
    List<String> suggest(String prefix, int limit);

    /** Video ids trending now: views in a recent window with decay, recency when views are few. */
    List<String> trending(int limit);

    /** Video ids related to the given one (shared tags, title words, channel), never the video itself. */
    List<String> related(RelatedQuery query, int limit);
}
