package org.kinora.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.kinora.media.ffmpeg.MediaLimits;

/**
 * Merges configuration sources into a {@link KinoraConfig}. Keys are the ones in
 * {@link #DEFAULTS}; an unknown key in the file is an error, so a typo never silently does
 * nothing. Environment variables use the key upper-cased with '.' and '-' as '_', prefixed
 * {@code KINORA_} (for example {@code KINORA_SERVER_PORT}); {@code KINORA_PORT} and
 * {@code KINORA_DATA_DIR} are accepted as the short forms.
 */
public final class ConfigLoader {
    /** Every key with its default ("" = unset). Documented one by one in kinora.conf.example. */
    public static final Map<String, String> DEFAULTS = defaults();

    private ConfigLoader() {}

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("server.host", "0.0.0.0");
        // Issue 18b: email and upload scanning (see the last block of kinora.conf.example).
        d.put("smtp.host", "");
        d.put("smtp.port", "587");
        d.put("smtp.username", "");
        d.put("smtp.password", "");
        d.put("smtp.from", "kinora@localhost");
        d.put("smtp.security", "starttls");
        d.put("accounts.require-verified-email", "true");
        d.put("accounts.verify-token-ttl-hours", "48");
        d.put("accounts.reset-token-ttl-minutes", "60");
        d.put("clamav.clamd", "");
        d.put("clamav.timeout-seconds", "120");
        d.put("server.port", "8080");
        d.put("server.public-url", "");
        d.put("data.dir", "./data");
        d.put("database.url", "");
        d.put("database.user", "");
        d.put("database.password", "");
        d.put("database.pool-size", "16");
        d.put("blob.dir", "");
        d.put("upload.max-size-bytes", Long.toString(20L * 1024 * 1024 * 1024));
        d.put("upload.expiry-hours", "24");
        d.put("auth.secret", "");
        d.put("auth.token-ttl-minutes", "60");
        d.put("auth.session-ttl-days", "30");
        d.put("playback.token-ttl-minutes", "360");
        d.put("worker.concurrency", "1");
        d.put("worker.lease-seconds", "60");
        d.put("worker.max-attempts", "5");
        d.put("worker.retry-base-seconds", "10");
        d.put("transcode.x264-preset", "veryfast");
        d.put("transcode.max-duration-seconds", "43200");
        d.put("transcode.min-side", "16");
        d.put("transcode.max-side", "7680");
        d.put("transcode.max-pixels", Long.toString(7680L * 4320));
        d.put("transcode.max-frame-rate", "120");
        d.put("transcode.min-bits-per-second", "2000");
        d.put("transcode.time-budget-factor", "6");
        d.put("transcode.time-budget-base-seconds", "900");
        d.put("transcode.default-audio-language", "und");
        d.put("transcode.av1", "off");
        d.put("transcode.av1-rungs", "");
        d.put("transcode.av1-preset", "10");
        d.put("transcode.chunk-threshold-seconds", "60");
        d.put("transcode.chunk-seconds", "16");
        d.put("transcode.x264-threads", "0");
        d.put("transcode.source-copy-max-mbps", Integer.toString(org.kinora.media.pipeline.ChunkSettings.DEFAULT_SOURCE_COPY_MAX_MBPS));
        d.put("ffmpeg.path", "");
        d.put("ffprobe.path", "");
        d.put("log.format", "text");
        d.put("upload.quota-bytes", Long.toString(10L * 1024 * 1024 * 1024));
        d.put("views.window-seconds", "86400");
        d.put("views.flush-interval-ms", "1000");
        d.put("ratelimit.comments-per-minute", "10");
        d.put("ratelimit.writes-per-minute", "300");
        d.put("ratelimit.play-events-per-minute", "600");
        d.put("search.engine", "postgres");
        d.put("search.opensearch.url", "http://127.0.0.1:9200");
        d.put("search.opensearch.index", "kinora-videos");
        d.put("jobs.queue", "postgres");
        d.put("events.relay", "none");
        d.put("events.retention-days", "7");
        d.put("analytics.raw-retention-days", "30");
        d.put("kafka.bootstrap-servers", "127.0.0.1:9092");
        d.put("kafka.topic-prefix", "kinora.");
        d.put("kafka.partitions", "12");
        d.put("kafka.replication-factor", "-1");
        d.put("kafka.consumer-group", "kinora-workers");
        d.put("kafka.session-timeout-ms", "10000");
        d.put("kafka.redispatch-after-seconds", "600");
        d.put("kafka.published-per-account", "2");
        d.put("blob.store", "local");
        d.put("s3.endpoint", "");
        d.put("s3.region", "us-east-1");
        d.put("s3.bucket", "");
        d.put("s3.path-style", "false");
        d.put("s3.access-key", "");
        d.put("s3.secret-key", "");
        d.put("s3.checksums", "when-supported");
        d.put("s3.create-bucket", "true");
        d.put("s3.part-size-mb", "8");
        d.put("s3.presign-seconds", "0");
        d.put("database.replica-url", "");
        d.put("redis.url", "");
        d.put("cache.type", "none");
        d.put("cache.video-ttl-seconds", "600");
        d.put("cache.counters-ttl-seconds", "5");
        // Security hardening (issue 12): proxies, hosts, sign-in throttles, upload caps, metrics, streams.
        d.put("server.trusted-proxies", "127.0.0.1,::1");
        d.put("server.allowed-hosts", "");
        d.put("ratelimit.sign-ins-per-minute", "5");
        d.put("ratelimit.sign-ins-per-address-per-minute", "30");
        d.put("ratelimit.sign-ups-per-hour", "10");
        d.put("upload.max-unfinished", "5");
        d.put("playback.private-token-ttl-minutes", "30");
        d.put("metrics.token", "");
        d.put("sse.max-streams-per-user", "8");
        // Cross-origin access to the API and tus (issue 13).
        d.put("cors.allowed-origins", "");
        d.put("cors.max-age-seconds", "600");
        d.put("moderation.reports-per-hour", "30");
        d.put("moderation.hold-new-account-days", "0");
        d.put("moderation.hold-until-published", "0");
        d.put("moderation.hold-keywords", "");
        d.put("moderation.hold-videos-by-keyword", "false");
        d.put("live.enabled", "true");
        d.put("live.rtmp-host", "0.0.0.0");
        d.put("live.rtmp-port", "1935");
        d.put("live.public-rtmp-url", "");
        d.put("live.ingest-url", "");
        d.put("live.part-milliseconds", "333");
        d.put("live.segment-seconds", "2");
        d.put("live.window-segments", "60");
        d.put("live.transcoded-rungs", "2");
        d.put("live.passthrough-max-kbps", "8000");
        d.put("live.reconnect-grace-seconds", "30");
        d.put("live.max-ingest-kbps", "60000");
        d.put("live.x264-preset", "veryfast");
        d.put("live.dvr-minutes", "120");
        d.put("live.srt-ports", "");
        // Delivery at the edge (issue 17).
        d.put("playback.offline-max-age-minutes", "60");
        d.put("delivery.content-protection", "true");
        d.put("delivery.key-rotation-segments", "10");
        d.put("delivery.media-port", "0");
        d.put("delivery.media-url", "");
        d.put("delivery.dash-encryption-scheme", "cenc");
        d.put("geo.database-file", "");
        return Map.copyOf(d);
    }

    /**
     * @param configFile explicit file (must exist), or empty to use {@code ./kinora.conf} when present
     * @param env        the process environment
     * @param overrides  command-line flags, by key
     */
    public static KinoraConfig load(Optional<Path> configFile, Map<String, String> env, Map<String, String> overrides)
            throws IOException {
        Map<String, String> values = new LinkedHashMap<>(DEFAULTS);
        Optional<Path> file = configFile.or(() -> Optional.ofNullable(env.get("KINORA_CONFIG")).map(Path::of))
                .or(() -> Optional.of(Path.of("kinora.conf")).filter(Files::isRegularFile));
        if (file.isPresent()) values.putAll(readFile(file.get()));
        for (String key : DEFAULTS.keySet()) {
            String fromEnv = env.get(envName(key));
            if (fromEnv != null) values.put(key, fromEnv);
        }
        if (env.containsKey("KINORA_PORT")) values.put("server.port", env.get("KINORA_PORT"));
        if (env.containsKey("KINORA_DATA_DIR")) values.put("data.dir", env.get("KINORA_DATA_DIR"));
        for (var e : overrides.entrySet()) {
            requireKnown(e.getKey(), "command line");
            values.put(e.getKey(), e.getValue());
        }
        return build(values);
    }

    static String envName(String key) {
        return "KINORA_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static Map<String, String> readFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new ConfigException("Config file " + file + " does not exist.");
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : p.stringPropertyNames()) {
            requireKnown(key, file.toString());
            out.put(key, p.getProperty(key).trim());
        }
        return out;
    }

    private static void requireKnown(String key, String source) {
        if (!DEFAULTS.containsKey(key)) {
            Set<String> known = new TreeSet<>(DEFAULTS.keySet());
            throw new ConfigException("Unknown config key '" + key + "' in " + source + ". Known keys: " + known);
        }
    }

    private static KinoraConfig build(Map<String, String> v) {
        Path dataDir = Path.of(v.get("data.dir")).toAbsolutePath().normalize();
        String blobDir = v.get("blob.dir");
        String logFormat = v.get("log.format").toLowerCase(Locale.ROOT);
        if (!logFormat.equals("text") && !logFormat.equals("json")) {
            throw new ConfigException("log.format must be 'text' or 'json', not '" + logFormat + "'.");
        }
        return new KinoraConfig(
                v.get("server.host"),
                intValue(v, "server.port", 0, 65535),
                optional(v, "server.public-url").map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u),
                dataDir,
                optional(v, "database.url"),
                v.get("database.user"),
                v.get("database.password"),
                intValue(v, "database.pool-size", 2, 500),
                blobDir.isBlank() ? dataDir.resolve("blobs") : Path.of(blobDir).toAbsolutePath().normalize(),
                longValue(v, "upload.max-size-bytes", 1),
                Duration.ofHours(intValue(v, "upload.expiry-hours", 1, 24 * 365)),
                optional(v, "auth.secret"),
                Duration.ofMinutes(intValue(v, "auth.token-ttl-minutes", 1, 60 * 24 * 365)),
                Duration.ofDays(intValue(v, "auth.session-ttl-days", 1, 365)),
                Duration.ofMinutes(intValue(v, "playback.token-ttl-minutes", 1, 60 * 24 * 365)),
                intValue(v, "worker.concurrency", 0, 64),
                Duration.ofSeconds(intValue(v, "worker.lease-seconds", 3, 3600)),
                intValue(v, "worker.max-attempts", 1, 100),
                Duration.ofSeconds(intValue(v, "worker.retry-base-seconds", 0, 3600)),
                v.get("transcode.x264-preset"),
                mediaLimits(v),
                audioLanguage(v.get("transcode.default-audio-language")),
                optional(v, "ffmpeg.path").map(Path::of),
                optional(v, "ffprobe.path").map(Path::of),
                logFormat,
                new KinoraConfig.Engagement(
                        longValue(v, "upload.quota-bytes", -1),
                        Duration.ofSeconds(intValue(v, "views.window-seconds", 1, 366 * 24 * 3600)),
                        Duration.ofMillis(intValue(v, "views.flush-interval-ms", 50, 60_000)),
                        intValue(v, "ratelimit.comments-per-minute", 1, 1_000_000),
                        intValue(v, "ratelimit.writes-per-minute", 1, 10_000_000),
                        intValue(v, "ratelimit.play-events-per-minute", 1, 10_000_000)),
                search(v),
                kafka(v),
                BlobConfig.parse(v),
                redis(v),
                new KinoraConfig.Replica(optional(v, "database.replica-url")),
                Duration.ofDays(intValue(v, "events.retention-days", 0, 36_500)),
                security(v),
                cors(v),
                trust(v),
                moderation(v),
                analytics(v),
                live(v),
                delivery(v),
                av1(v), chunking(v));
    }

    private static org.kinora.media.pipeline.ChunkSettings chunking(Map<String, String> v) {
        int chunk = intValue(v, "transcode.chunk-seconds", 4, 24 * 3600);
        if (chunk % org.kinora.media.packaging.CmafEncoder.SEGMENT_SECONDS != 0) {
            throw new ConfigException("transcode.chunk-seconds must be a multiple of " + org.kinora.media.packaging.CmafEncoder.SEGMENT_SECONDS
                    + " (the segment length), not " + chunk + ".");
        }
        return new org.kinora.media.pipeline.ChunkSettings(intValue(v, "transcode.chunk-threshold-seconds", 0, 366 * 24 * 3600),
                chunk, intValue(v, "transcode.x264-threads", 0, 64), intValue(v, "transcode.source-copy-max-mbps", 0, 10_000));
    }

    private static KinoraConfig.Cors cors(Map<String, String> v) {
        java.util.List<String> origins = list(v, "cors.allowed-origins");
        for (String o : origins) {
            // An origin is exactly what browsers send in Origin: scheme, host and maybe a port; no path, no slash.
            if (!o.equals("*") && !o.matches("https?://([A-Za-z0-9\\-]+\\.)*[A-Za-z0-9\\-]+(:\\d{1,5})?|https?://\\[[0-9A-Fa-f:.]+](:\\d{1,5})?")) {
                throw new ConfigException("cors.allowed-origins holds origins such as https://app.example.com or http://localhost:3000"
                        + " (scheme, host, optional port; no path), or *, not '" + o + "'.");
            }
        }
        return new KinoraConfig.Cors(origins.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList(),
                Duration.ofSeconds(intValue(v, "cors.max-age-seconds", 0, 86_400)));
    }

    private static KinoraConfig.Trust trust(Map<String, String> v) {
        String security = v.get("smtp.security").strip().toLowerCase(java.util.Locale.ROOT);
        if (!java.util.Set.of("none", "starttls", "tls").contains(security)) {
            throw new ConfigException("smtp.security must be none, starttls or tls, not '" + security + "'.");
        }
        Optional<String> clamd = optional(v, "clamav.clamd");
        clamd.ifPresent(c -> {
            if (!c.startsWith("unix:") && !c.matches("[A-Za-z0-9.\\-]+:\\d{1,5}|\\[[0-9A-Fa-f:.]+]:\\d{1,5}")) {
                throw new ConfigException("clamav.clamd is host:port (127.0.0.1:3310) or unix:/path/to/clamd.ctl, not '" + c + "'.");
            }
        });
        return new KinoraConfig.Trust(optional(v, "smtp.host"), intValue(v, "smtp.port", 1, 65535), optional(v, "smtp.username"),
                optional(v, "smtp.password"), v.get("smtp.from").strip(), security,
                Boolean.parseBoolean(v.get("accounts.require-verified-email").strip()),
                Duration.ofHours(intValue(v, "accounts.verify-token-ttl-hours", 1, 24 * 365)),
                Duration.ofMinutes(intValue(v, "accounts.reset-token-ttl-minutes", 1, 24 * 60 * 7)),
                clamd, Duration.ofSeconds(intValue(v, "clamav.timeout-seconds", 1, 3600)));
    }

    private static KinoraConfig.Moderation moderation(Map<String, String> v) {
        String flag = v.get("moderation.hold-videos-by-keyword").strip().toLowerCase(Locale.ROOT);
        if (!flag.equals("true") && !flag.equals("false")) {
            throw new ConfigException("moderation.hold-videos-by-keyword must be true or false, not '" + flag + "'.");
        }
        return new KinoraConfig.Moderation(
                intValue(v, "moderation.reports-per-hour", 1, 1_000_000),
                intValue(v, "moderation.hold-new-account-days", 0, 3650),
                intValue(v, "moderation.hold-until-published", 0, 1_000_000),
                list(v, "moderation.hold-keywords").stream().map(k -> k.toLowerCase(Locale.ROOT)).toList(),
                flag.equals("true"));
    }

    private static KinoraConfig.Live live(Map<String, String> v) {
        String enabled = v.get("live.enabled").strip();
        if (!enabled.equals("true") && !enabled.equals("false")) throw new ConfigException("live.enabled must be true or false, not '" + enabled + "'.");
        String srt = v.get("live.srt-ports").strip();
        int[] srtPorts = {0, 0};
        if (!srt.isEmpty()) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,5})(?:-(\\d{1,5}))?").matcher(srt);
            if (!m.matches()) throw new ConfigException("live.srt-ports is a UDP port or a range such as 9000-9099, not '" + srt + "'.");
            srtPorts[0] = Integer.parseInt(m.group(1));
            srtPorts[1] = m.group(2) == null ? srtPorts[0] : Integer.parseInt(m.group(2));
            if (srtPorts[0] < 1 || srtPorts[1] > 65535 || srtPorts[1] < srtPorts[0]) {
                throw new ConfigException("live.srt-ports must be within 1-65535, lowest first, not '" + srt + "'.");
            }
        }
        String preset = v.get("live.x264-preset").strip();
        if (!preset.matches("ultrafast|superfast|veryfast|faster|fast|medium")) {
            throw new ConfigException("live.x264-preset must be one of ultrafast, superfast, veryfast, faster, fast, medium (live needs real time), not '" + preset + "'.");
        }
        return new KinoraConfig.Live(enabled.equals("true"), v.get("live.rtmp-host").strip(), intValue(v, "live.rtmp-port", 0, 65535),
                optional(v, "live.public-rtmp-url"), optional(v, "live.ingest-url").map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u),
                Duration.ofMillis(intValue(v, "live.part-milliseconds", 100, 2000)), Duration.ofSeconds(intValue(v, "live.segment-seconds", 1, 10)),
                intValue(v, "live.window-segments", 3, 100_000), intValue(v, "live.transcoded-rungs", 0, 8),
                intValue(v, "live.passthrough-max-kbps", 0, 1_000_000), Duration.ofSeconds(intValue(v, "live.reconnect-grace-seconds", 0, 3600)),
                intValue(v, "live.max-ingest-kbps", 100, 10_000_000), preset, Duration.ofMinutes(intValue(v, "live.dvr-minutes", 0, 24 * 60)),
                srtPorts[0], srtPorts[1]);
    }

    private static KinoraConfig.Av1 av1(Map<String, String> v) {
        String enabled = v.get("transcode.av1").strip();
        if (!enabled.equals("on") && !enabled.equals("off")) {
            throw new ConfigException("transcode.av1 must be on or off, not '" + enabled + "'.");
        }
        java.util.List<String> rungs = list(v, "transcode.av1-rungs");
        for (String r : rungs) {
            if (!r.matches("\\d{2,4}p")) {
                throw new ConfigException("transcode.av1-rungs lists H.264 rung names such as 720p,1080p (empty for all), not '" + r + "'.");
            }
        }
        return new KinoraConfig.Av1(enabled.equals("on"), rungs, intValue(v, "transcode.av1-preset", 0, 13));
    }

    private static KinoraConfig.Delivery delivery(Map<String, String> v) {
        return new KinoraConfig.Delivery(Duration.ofMinutes(intValue(v, "playback.offline-max-age-minutes", 0, 60 * 24 * 30)),
                optional(v, "geo.database-file").map(Path::of), flag(v, "delivery.content-protection"),
                intValue(v, "delivery.key-rotation-segments", 1, 1_000_000), dashEncryptionScheme(v), intValue(v, "delivery.media-port", 0, 65_535),
                optional(v, "delivery.media-url").map(ConfigLoader::mediaUrl));
    }

    private static String dashEncryptionScheme(Map<String, String> v) {
        String s = v.get("delivery.dash-encryption-scheme").strip().toLowerCase(Locale.ROOT);
        if (!s.equals("cenc") && !s.equals("cbcs")) {
            throw new ConfigException("delivery.dash-encryption-scheme is cenc (AES-CTR) or cbcs (AES-CBC pattern), not '" + s + "'.");
        }
        return s;
    }

    /** {@code delivery.media-url}: scheme and authority (and an optional path) viewers reach the media port at, no trailing slash. */
    private static String mediaUrl(String url) {
        String u = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        if (!u.matches("https?://[^/?#\\s]+(/[^?#\\s]*)?")) {
            throw new ConfigException("delivery.media-url must be an http:// or https:// URL such as https://media.example.org, not '" + url + "'.");
        }
        return u;
    }

    private static boolean flag(Map<String, String> v, String key) {
        String value = v.get(key).strip().toLowerCase(Locale.ROOT);
        if (!value.equals("true") && !value.equals("false")) throw new ConfigException(key + " must be true or false, not '" + value + "'.");
        return value.equals("true");
    }

    private static KinoraConfig.Security security(Map<String, String> v) {
        java.util.List<String> proxies = list(v, "server.trusted-proxies");
        for (String p : proxies) {
            if (!p.matches("[0-9A-Fa-f:.]+(/\\d{1,3})?")) {
                throw new ConfigException("server.trusted-proxies holds IP addresses or CIDR ranges (10.0.0.0/8, ::1), not '" + p + "'.");
            }
        }
        java.util.List<String> hosts = list(v, "server.allowed-hosts");
        for (String h : hosts) {
            if (!h.matches("[A-Za-z0-9.\\-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+](:\\d{1,5})?")) {
                throw new ConfigException("server.allowed-hosts holds host or host:port values (video.lan, 192.168.1.5:8080), not '" + h + "'.");
            }
        }
        return new KinoraConfig.Security(proxies, hosts,
                intValue(v, "ratelimit.sign-ins-per-minute", 1, 1_000_000),
                intValue(v, "ratelimit.sign-ins-per-address-per-minute", 1, 1_000_000),
                intValue(v, "ratelimit.sign-ups-per-hour", 1, 1_000_000),
                intValue(v, "upload.max-unfinished", 1, 1_000_000),
                Duration.ofMinutes(intValue(v, "playback.private-token-ttl-minutes", 1, 60 * 24 * 365)),
                optional(v, "metrics.token"),
                intValue(v, "sse.max-streams-per-user", 1, 100_000));
    }

    private static java.util.List<String> list(Map<String, String> v, String key) {
        return java.util.Arrays.stream(v.get(key).split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static KinoraConfig.Analytics analytics(Map<String, String> v) {
        // At least 3 days: the 48-hour charts read the hourly rollups, which go with the raw events.
        return new KinoraConfig.Analytics(Duration.ofDays(intValue(v, "analytics.raw-retention-days", 3, 36_500)));
    }

    private static String audioLanguage(String tag) {
        String value = tag.strip();
        if (!value.matches("[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")) {
            throw new ConfigException("transcode.default-audio-language must be a BCP 47 language tag such as und, en or pt-BR, not '"
                    + tag + "'.");
        }
        return value;
    }

    private static MediaLimits mediaLimits(Map<String, String> v) {
        int minSide = intValue(v, "transcode.min-side", 2, 1_000_000);
        int maxSide = intValue(v, "transcode.max-side", minSide, 1_000_000);
        return new MediaLimits(
                intValue(v, "transcode.max-duration-seconds", 1, 366 * 24 * 3600),
                minSide,
                maxSide,
                longValue(v, "transcode.max-pixels", (long) minSide * minSide),
                intValue(v, "transcode.max-frame-rate", 1, 10_000),
                longValue(v, "transcode.min-bits-per-second", 0),
                decimalValue(v, "transcode.time-budget-factor", 0.001, 10_000),
                Duration.ofSeconds(intValue(v, "transcode.time-budget-base-seconds", 0, 7 * 24 * 3600)));
    }

    private static KinoraConfig.Redis redis(Map<String, String> v) {
        Optional<String> url = optional(v, "redis.url");
        if (url.isPresent() && !url.get().matches("rediss?://.+")) {
            throw new ConfigException("redis.url must look like redis://host:6379 (or rediss:// for TLS), not '" + url.get() + "'.");
        }
        String type = v.get("cache.type").strip().toLowerCase(Locale.ROOT);
        if (!type.equals("none") && !type.equals("redis")) {
            throw new ConfigException("cache.type must be 'none' or 'redis', not '" + type + "'.");
        }
        if (type.equals("redis") && url.isEmpty()) {
            throw new ConfigException("cache.type = redis needs redis.url (e.g. redis://127.0.0.1:6379).");
        }
        return new KinoraConfig.Redis(url, type,
                Duration.ofSeconds(intValue(v, "cache.video-ttl-seconds", 1, 7 * 24 * 3600)),
                Duration.ofSeconds(intValue(v, "cache.counters-ttl-seconds", 0, 3600)));
    }

    private static KinoraConfig.Kafka kafka(Map<String, String> v) {
        String queue = v.get("jobs.queue").strip().toLowerCase(Locale.ROOT);
        if (!queue.equals("postgres") && !queue.equals("kafka")) {
            throw new ConfigException("jobs.queue must be 'postgres' or 'kafka', not '" + queue + "'.");
        }
        String relay = v.get("events.relay").strip().toLowerCase(Locale.ROOT);
        if (!relay.equals("none") && !relay.equals("kafka")) {
            throw new ConfigException("events.relay must be 'none' or 'kafka', not '" + relay + "'.");
        }
        String servers = v.get("kafka.bootstrap-servers").strip();
        if (!servers.matches("[^,\\s]+:\\d+(,[^,\\s]+:\\d+)*")) {
            throw new ConfigException("kafka.bootstrap-servers must be host:port[,host:port...], not '" + servers + "'.");
        }
        String prefix = v.get("kafka.topic-prefix").strip();
        if (!prefix.matches("[a-zA-Z0-9._-]{0,100}")) {
            throw new ConfigException("kafka.topic-prefix may hold only letters, digits, '.', '_' and '-', not '" + prefix + "'.");
        }
        int replication = (int) longValue(v, "kafka.replication-factor", -1);
        if (replication == 0 || replication > Short.MAX_VALUE) {
            throw new ConfigException("kafka.replication-factor must be -1 (the broker's default) or at least 1, not " + replication + ".");
        }
        String group = v.get("kafka.consumer-group").strip();
        if (group.isEmpty()) throw new ConfigException("kafka.consumer-group must not be empty.");
        return new KinoraConfig.Kafka(queue, relay, servers, prefix,
                intValue(v, "kafka.partitions", 1, 10_000),
                replication,
                group,
                Duration.ofMillis(intValue(v, "kafka.session-timeout-ms", 1000, 1_800_000)),
                Duration.ofSeconds(intValue(v, "kafka.redispatch-after-seconds", 10, 7 * 24 * 3600)),
                intValue(v, "kafka.published-per-account", 1, 100_000));
    }

    private static KinoraConfig.Search search(Map<String, String> v) {
        String engine = v.get("search.engine").strip().toLowerCase(Locale.ROOT);
        if (!engine.equals("postgres") && !engine.equals("opensearch")) {
            throw new ConfigException("search.engine must be 'postgres' or 'opensearch', not '" + engine + "'.");
        }
        String url = v.get("search.opensearch.url").strip();
        if (engine.equals("opensearch") && !(url.startsWith("http://") || url.startsWith("https://"))) {
            throw new ConfigException("search.opensearch.url must be an http:// or https:// URL, not '" + url + "'.");
        }
        String index = v.get("search.opensearch.index").strip();
        if (!index.matches("[a-z0-9][a-z0-9_.-]{0,100}")) {
            throw new ConfigException("search.opensearch.index must be lower-case letters, digits, '-', '_' or '.', not '" + index + "'.");
        }
        return new KinoraConfig.Search(engine, url, index);
    }

    private static Optional<String> optional(Map<String, String> v, String key) {
        String s = v.get(key);
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.trim());
    }

    private static int intValue(Map<String, String> v, String key, int min, int max) {
        long n = longValue(v, key, min);
        if (n > max) throw new ConfigException(key + " must be at most " + max + ", not " + n + ".");
        return (int) n;
    }

    private static double decimalValue(Map<String, String> v, String key, double min, double max) {
        String s = v.get(key).trim();
        double n;
        try {
            n = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be a number such as 2.5, not '" + s + "'.");
        }
        if (!(n >= min && n <= max)) throw new ConfigException(key + " must be between " + min + " and " + max + ", not " + s + ".");
        return n;
    }

    private static long longValue(Map<String, String> v, String key, long min) {
        String s = v.get(key).trim();
        long n;
        try {
            n = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be a whole number, not '" + s + "'.");
        }
        if (n < min) throw new ConfigException(key + " must be at least " + min + ", not " + n + ".");
        return n;
    }

    /** A configuration mistake, stated so that the operator knows which key to fix. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }
}
