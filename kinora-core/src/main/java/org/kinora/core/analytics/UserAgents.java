package org.kinora.core.analytics;

import java.util.Locale;

/**
 * Device type and browser family from a User-Agent header: a few substring rules, ordered so that
 * browsers built on another's engine (Edge and Opera on Chromium) are named for themselves. A
 * full parser (ua-parser, Yauaa) knows thousands of agents; analytics need only these buckets.
 */
public final class UserAgents {
    private UserAgents() {}

    public record Agent(String device, String browser) {}

    public static Agent classify(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) return new Agent("unknown", "other");
        String ua = userAgent.toLowerCase(Locale.ROOT);
        return new Agent(device(ua), browser(ua));
    }

    private static String device(String ua) {
        if (ua.contains("bot") || ua.contains("spider") || ua.contains("crawler") || ua.contains("headless")) return "bot";
        if (ua.contains("smart-tv") || ua.contains("smarttv") || ua.contains("tizen") || ua.contains("webos") || ua.contains("appletv")
                || ua.contains("crkey") || ua.contains("hbbtv")) return "tv";
        if (ua.contains("ipad") || ua.contains("tablet") || (ua.contains("android") && !ua.contains("mobile"))) return "tablet";
        if (ua.contains("mobi") || ua.contains("iphone") || ua.contains("android")) return "mobile";
        return "desktop";
    }

    private static String browser(String ua) {
        if (ua.contains("edg/") || ua.contains("edga/") || ua.contains("edgios/")) return "edge";
        if (ua.contains("opr/") || ua.contains("opera")) return "opera";
        if (ua.contains("samsungbrowser/")) return "samsung";
        if (ua.contains("firefox/") || ua.contains("fxios/")) return "firefox";
        if (ua.contains("chrome/") || ua.contains("chromium/") || ua.contains("crios/")) return "chrome";
        if (ua.contains("safari/")) return "safari";
        return "other";
    }
}
