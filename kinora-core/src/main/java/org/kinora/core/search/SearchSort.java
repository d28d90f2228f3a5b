package org.kinora.core.search;

import java.util.Locale;
import java.util.Optional;

/** Order of search results: best match first, newest first, or most viewed first. */
public enum SearchSort {
    RELEVANCE, NEWEST, VIEWS;

    public String wireName() { return name().toLowerCase(Locale.ROOT); }

    static Optional<SearchSort> parse(String s) {
        for (SearchSort v : values()) if (v.wireName().equals(s)) return Optional.of(v);
        return Optional.empty();
    }
}
