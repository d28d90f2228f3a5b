package org.kinora.core.view;

import org.kinora.core.analytics.TrafficSource;

/**
 * Where a play came from and on what, for analytics: the traffic source the page reported, the
 * embedding site's domain (only for {@link TrafficSource#EMBED} and {@link TrafficSource#EXTERNAL}),
 * the device and browser from the User-Agent, and the country when an IP lookup is wired
 * (null otherwise). Every value is a short token without tabs or newlines, so
 * {@link org.kinora.core.events.EventCodec} can pack many plays in one outbox row.
 */
public record PlayContext(TrafficSource source, String domain, String device, String browser, String country) {
    public static final PlayContext UNKNOWN = new PlayContext(TrafficSource.DIRECT, null, "unknown", "other", null);

    public PlayContext {
        if (source == null) source = TrafficSource.DIRECT;
        if (source != TrafficSource.EMBED && source != TrafficSource.EXTERNAL) domain = null;
        domain = domain == null ? null : TrafficSource.domain(domain).orElse(null);
        device = token(device, "unknown");
        browser = token(browser, "other");
        country = country == null || !country.matches("[A-Za-z]{2}") ? null : country.toUpperCase(java.util.Locale.ROOT);
    }

    private static String token(String s, String fallback) {
        return s == null || !s.matches("[a-z0-9_-]{1,32}") ? fallback : s;
    }
}
