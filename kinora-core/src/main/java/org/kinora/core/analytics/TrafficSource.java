package org.kinora.core.analytics;

import java.util.Locale;
import java.util.Optional;

/**
 * Where a play came from, as the page that started it reports it: Kinora's own pages (search
 * results, the home feed, the subscriptions feed, a related video on a watch page, a playlist, a
 * channel page), an embed on another site, a link on another site, or nothing (typed, bookmarked).
 */
public enum TrafficSource {
    SEARCH, HOME, SUBSCRIPTIONS, RELATED, PLAYLIST, CHANNEL, EMBED, EXTERNAL, DIRECT;

    public String wireName() { return name().toLowerCase(Locale.ROOT); }

    public static Optional<TrafficSource> parse(String s) {
        if (s == null) return Optional.empty();
        for (TrafficSource t : values()) if (t.wireName().equals(s.trim().toLowerCase(Locale.ROOT))) return Optional.of(t);
        return Optional.empty();
    }

    /**
     * A referring site's host name as kept: lower case, at most 253 characters of letters, digits,
     * dots and hyphens, without a leading "www."; empty when {@code host} is not one.
     */
    public static Optional<String> domain(String host) {
        if (host == null) return Optional.empty();
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("www.")) h = h.substring(4);
        if (h.isEmpty() || h.length() > 253 || !h.matches("[a-z0-9.-]+")) return Optional.empty();
        return Optional.of(h);
    }
}
