package org.kinora.server.geo;

import java.util.Map;
import org.kinora.core.geo.CountryRules;
import org.kinora.core.geo.VideoCountryRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every restricted video's rules in memory, re-read by a scheduled task every second: the origin
 * checks them on every media request and the CDN tiers fetch them every second, neither of which
 * may cost a query (or wait on the database while it is down: the last copy stays). A change
 * made on this node is seen at once, on the others within a second.
 */
public final class CountryRulesCache {
    private static final Logger log = LoggerFactory.getLogger(CountryRulesCache.class);

    private final VideoCountryRules store;
    private volatile Map<String, CountryRules> all;
    private volatile boolean failing;

    public CountryRulesCache(VideoCountryRules store) {
        this.store = store;
    }

    /** Run every second by the scheduled task "country-rules". */
    void refresh() {
        try {
            all = Map.copyOf(store.all());
            if (failing) log.info("country rules are read again");
            failing = false;
        } catch (RuntimeException e) {
            if (!failing) log.warn("country rules could not be read, keeping the last copy: {}", e.toString());
            failing = true;
        }
    }

    CountryRules find(String videoId) {
        return all().getOrDefault(videoId, CountryRules.NONE);
    }

    /** Whether the video has country rules at all (the media port leaves those videos to the main listener). */
    public boolean hasRules(String videoId) {
        return all().containsKey(videoId);
    }

    Map<String, CountryRules> all() {
        if (all == null) refresh(); // before the task's first run
        Map<String, CountryRules> a = all;
        return a == null ? Map.of() : a;
    }

    /** A change saved on this node: visible here at once rather than at the next refresh. */
    synchronized void put(String videoId, CountryRules rules) {
        Map<String, CountryRules> next = new java.util.HashMap<>(all());
        if (rules.isEmpty()) next.remove(videoId);
        else next.put(videoId, rules);
        all = Map.copyOf(next);
    }
}
