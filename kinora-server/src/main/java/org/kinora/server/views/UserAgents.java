package org.kinora.server.views;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import ua_parser.Client;
import ua_parser.Parser;

/**
 * Device type and browser family of a play, from its User-Agent header. The browser, operating
 * system and device families come from ua-parser ({@code uap-java}, the uap-core regexes that
 * the ua-parser project keeps up with new agents); they are then put into the few buckets the
 * analytics pages show. uap-core names device models, not types, so the type is decided here from
 * its families: spiders are bots; TV systems (Tizen, webOS, tvOS, Chromecast, Android TV, HbbTV)
 * are TVs; iPads, Kindles and Android without "Mobile" are tablets; other iOS, Android and mobile
 * agents are phones; the rest desktops.
 *
 * <p>Parsing runs some hundreds of regexes, so answers are kept for the 10,000 most recent
 * User-Agents (a few hundred distinct ones make up nearly all traffic; every heartbeat of a play
 * repeats its agent).
 */
public final class UserAgents {
    public record Agent(String device, String browser) {}

    private static final Agent UNKNOWN = new Agent("unknown", "other");
    private static final int CACHE = 10_000;
    private static final int MAX_LENGTH = 512; // longer headers are cut: real agents are well under this

    /** uap-core browser families, by the bucket they are counted in. */
    private static final Map<String, String> BROWSERS = browsers();
    private static final Set<String> TV_OS = Set.of("tizen", "webos", "tvos", "chromecast", "android tv", "roku", "fire os tv");

    private static final Parser PARSER = new Parser(); // thread-safe: compiled patterns only
    private static final Map<String, Agent> RECENT = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Agent> eldest) {
            return size() > CACHE;
        }
    };

    private UserAgents() {}

    /** Loads the regexes now (about a second) rather than on the first play event. */
    static void load() {
        classify("Mozilla/5.0");
    }

    public static Agent classify(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) return UNKNOWN;
        String ua = userAgent.length() > MAX_LENGTH ? userAgent.substring(0, MAX_LENGTH) : userAgent;
        synchronized (RECENT) {
            Agent known = RECENT.get(ua);
            if (known != null) return known;
        }
        Agent agent = parse(ua);
        synchronized (RECENT) {
            RECENT.put(ua, agent);
        }
        return agent;
    }

    static Agent parse(String ua) {
        Client c = PARSER.parse(ua);
        String lower = ua.toLowerCase(Locale.ROOT);
        return new Agent(device(c, lower), browser(c));
    }

    private static String device(Client c, String ua) {
        String device = c.device.family == null ? "" : c.device.family.toLowerCase(Locale.ROOT);
        String os = c.os.family == null ? "" : c.os.family.toLowerCase(Locale.ROOT);
        if (device.equals("spider") || ua.contains("headlesschrome") || ua.contains("lighthouse")) return "bot";
        if (TV_OS.contains(os) || device.contains("smart-tv") || device.equals("appletv") || device.equals("chromecast")
                || ua.contains("smart-tv") || ua.contains("smarttv") || ua.contains("hbbtv") || ua.contains("crkey") || ua.contains("android tv")
                || ua.contains("aft") && ua.contains("amazon") || ua.contains("googletv") || ua.contains("web0s")) return "tv";
        if (device.equals("ipad") || device.startsWith("kindle") || ua.contains("tablet") || ua.contains("silk/")
                || os.equals("android") && !ua.contains("mobile")) return "tablet";
        if (os.equals("ios") || os.equals("android") || device.equals("iphone") || device.equals("ipod")
                || ua.contains("mobi") || os.equals("windows phone") || os.equals("kaios")) return "mobile";
        return "desktop";
    }

    private static String browser(Client c) {
        String family = c.userAgent.family == null ? "" : c.userAgent.family.toLowerCase(Locale.ROOT);
        // Samsung's TVs run Tizen, whose browser (Samsung's, on Chromium) says only "TV Safari".
        if ("tizen".equalsIgnoreCase(c.os.family) && (family.equals("safari") || family.equals("samsung internet"))) return "samsung";
        String bucket = BROWSERS.get(family);
        if (bucket != null) return bucket;
        if (family.startsWith("chrome")) return "chrome";
        if (family.startsWith("firefox")) return "firefox";
        if (family.startsWith("edge")) return "edge";
        if (family.startsWith("opera")) return "opera";
        return "other";
    }

    private static Map<String, String> browsers() {
        Map<String, String> m = new java.util.HashMap<>();
        for (String f : new String[] {"chrome", "chrome mobile", "chrome mobile ios", "chrome mobile webview", "chromium", "headlesschrome"}) {
            m.put(f, "chrome");
        }
        for (String f : new String[] {"firefox", "firefox mobile", "firefox ios", "firefox focus", "firefox beta"}) m.put(f, "firefox");
        for (String f : new String[] {"safari", "mobile safari", "mobile safari ui/wkwebview"}) m.put(f, "safari");
        for (String f : new String[] {"edge", "edge mobile"}) m.put(f, "edge");
        for (String f : new String[] {"opera", "opera mobile", "opera mini", "opera gx", "opera touch"}) m.put(f, "opera");
        m.put("samsung internet", "samsung");
        m.put("yandex browser", "yandex");
        m.put("uc browser", "uc");
        m.put("vivaldi", "vivaldi");
        return Map.copyOf(m);
    }
}
