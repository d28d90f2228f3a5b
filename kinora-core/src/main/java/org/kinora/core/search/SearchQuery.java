package org.kinora.core.search;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A video search as the engines see it, already validated ({@link SearchQueries#parse}).
 * {@code text} may be empty (browse with filters); {@code uploadedSince} is absolute so that
 * every engine applies the same window.
 */
public record SearchQuery(
        String text,
        SearchSort sort,
        Optional<DurationBand> duration,
        Optional<Instant> uploadedSince,
        Optional<String> channelId,
        Optional<SearchCursor> after,
        int limit,
        Optional<String> category,
        Optional<String> language,
        Set<String> excludedChannels) {

    public SearchQuery {
        excludedChannels = Set.copyOf(excludedChannels);
    }

    /** A query excluding no channel. */
    public SearchQuery(String text, SearchSort sort, Optional<DurationBand> duration, Optional<Instant> uploadedSince,
                       Optional<String> channelId, Optional<SearchCursor> after, int limit, Optional<String> category,
                       Optional<String> language) {
        this(text, sort, duration, uploadedSince, channelId, after, limit, category, language, Set.of());
    }

    /** The same query without the videos of {@code channels} (those the viewer blocked). */
    public SearchQuery excluding(Set<String> channels) {
        return new SearchQuery(text, sort, duration, uploadedSince, channelId, after, limit, category, language, channels);
    }

    /** A query without the category and language filters. */
    public SearchQuery(String text, SearchSort sort, Optional<DurationBand> duration, Optional<Instant> uploadedSince,
                       Optional<String> channelId, Optional<SearchCursor> after, int limit) {
        this(text, sort, duration, uploadedSince, channelId, after, limit, Optional.empty(), Optional.empty(), Set.of());
    }

    public boolean hasText() { return !text.isBlank(); }

    /** Relevance needs words to be relevant to; without them results come newest first. */
    public SearchSort effectiveSort() {
        return sort == SearchSort.RELEVANCE && !hasText() ? SearchSort.NEWEST : sort;
    }
}
