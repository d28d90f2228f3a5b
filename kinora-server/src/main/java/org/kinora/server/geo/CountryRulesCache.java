package org.kinora.server.geo;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.kinora.core.geo.CountryRules;
import org.kinora.core.geo.VideoCountryRules;

/**
 * The rules of each video, read at most once a second per video: the origin checks them on every
 * media request, which must not cost a query each. A change is seen within that second. When
 * the database cannot be read, the last rules read stay (playback goes on while it is down).
 */
final class CountryRulesCache {
    private static final long TTL_NANOS = 1_000_000_000L;
    private static final int MAX_ENTRIES = 100_000;

    private record Entry(CountryRules rules, long readAt) {}

    private final VideoCountryRules store;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    CountryRulesCache(VideoCountryRules store) {
        this.store = store;
    }

    CountryRules find(String videoId) {
        Entry e = entries.get(videoId);
        long now = System.nanoTime();
        if (e != null && now - e.readAt() < TTL_NANOS) return e.rules();
        try {
            CountryRules rules = store.find(videoId);
            if (entries.size() >= MAX_ENTRIES) entries.clear();
            entries.put(videoId, new Entry(rules, now));
            return rules;
        } catch (RuntimeException dbDown) {
            if (e != null) return e.rules();
            throw dbDown;
        }
    }

    void forget(String videoId) {
        entries.remove(videoId);
    }
}
