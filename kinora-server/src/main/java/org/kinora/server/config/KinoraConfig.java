package org.kinora.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.kinora.media.ffmpeg.MediaLimits;

/**
 * Everything Kinora can be told, with its defaults already applied. Built by {@link ConfigLoader}
 * from (lowest to highest precedence) built-in defaults, the config file, environment variables
 * and command-line flags. {@code kinora.conf.example} documents every key.
 */
public record KinoraConfig(
        String host,
        int port,
        Optional<String> publicUrl,
        Path dataDir,
        Optional<String> databaseUrl,
        String databaseUser,
        String databasePassword,
        int databasePoolSize,
        Path blobDir,
        long uploadMaxSizeBytes,
        Duration uploadExpiry,
        Optional<String> authSecret,
        Duration accessTokenTtl,
        Duration sessionTtl,
        Duration playbackTokenTtl,
        int workerConcurrency,
        Duration jobLease,
        int jobMaxAttempts,
        Duration jobRetryBase,
        String x264Preset,
        MediaLimits mediaLimits,
        String defaultAudioLanguage,
        Optional<Path> ffmpegPath,
        Optional<Path> ffprobePath,
        String logFormat,
        Engagement engagement,
        Search search,
        Kafka kafka,
        Blob blob,
        Redis redis,
        Replica replica,
        Duration eventRetention,
        Security security,
        Cors cors,
        Trust trust,
        Moderation moderation,
        Analytics analytics,
        Live live,
        Delivery delivery,
        Av1 av1,
        org.kinora.media.pipeline.ChunkSettings chunking) {

    /** Where pages' players fetch media from, besides their own origin: the media port's URL, else the public URL (the CSP names it). */
    public Optional<String> mediaOrigin() {
        return delivery.mediaUrl().or(this::publicUrl);
    }

    /**
     * Accounts fit for the public and upload scanning (issue 18b). {@code smtpHost} empty: no
     * email is sent (no verification, no password reset by email). {@code smtpSecurity}: none,
     * starttls or tls. {@code clamd}: empty for no scanning, else {@code host:port} or
     * {@code unix:/path/to/clamd.ctl}.
     */
    public record Trust(
            Optional<String> smtpHost,
            int smtpPort,
            Optional<String> smtpUsername,
            Optional<String> smtpPassword,
            String smtpFrom,
            String smtpSecurity,
            boolean requireVerifiedEmail,
            Duration verifyTokenTtl,
            Duration resetTokenTtl,
            Optional<String> clamd,
            Duration clamdTimeout) {}

    /**
     * Trust and safety (kinora.conf.example explains each key): reports per user per hour; holds
     * before publication for new accounts (younger than {@code holdNewAccountDays} days or with
     * fewer than {@code holdUntilPublished} published videos; 0 turns each off); words that hold
     * comments (and, with {@code holdVideosByKeyword}, videos by title/description) for review.
     */
    public record Moderation(int reportsPerHour, int holdNewAccountDays, int holdUntilPublished,
                             java.util.List<String> holdKeywords, boolean holdVideosByKeyword) {}

    /**
     * Analytics (issue 19): raw play events (and the hourly and per-minute rollups) are kept
     * {@code rawRetention}, then only the daily rollups.
     */
    public record Analytics(Duration rawRetention) {}

    /**
     * Limits and counters of the engagement features. {@code uploadQuotaBytes}: default per-user
     * quota, -1 unlimited. Rate limits are per user (per address when anonymous) per minute.
     */
    public record Engagement(
            long uploadQuotaBytes,
            Duration viewWindow,
            Duration viewFlushInterval,
            int commentsPerMinute,
            int writesPerMinute,
            int playEventsPerMinute) {}

    /**
     * Which search engine answers searches: {@code postgres} (full text in the database, the
     * default) or {@code opensearch} at {@code openSearchUrl}, using {@code openSearchIndex} as the
     * index alias.
     */
    public record Search(String engine, String openSearchUrl, String openSearchIndex) {
        public boolean usesOpenSearch() { return "opensearch".equals(engine); }
    }

    /**
     * Kafka, for whichever concerns name it: {@code jobsQueue} {@code postgres} (the default: a
     * table) or {@code kafka} (topics, PostgreSQL keeping each job's state); {@code eventsRelay}
     * {@code none} or {@code kafka} (the outbox relayed to the events topic). Topics are
     * {@code topicPrefix} + jobs, jobs.priority, jobs.dead, events.
     */
    public record Kafka(String jobsQueue, String eventsRelay, String bootstrapServers, String topicPrefix,
                        int partitions, int replicationFactor, String consumerGroup, Duration sessionTimeout,
                        Duration redispatchAfter, int publishedPerAccount) {
        public boolean jobsOnKafka() { return "kafka".equals(jobsQueue); }

        public boolean relaysEvents() { return "kafka".equals(eventsRelay); }

        public boolean used() { return jobsOnKafka() || relaysEvents(); }
    }

    /**
     * Where media lives: {@code local} (the directory {@link #blobDir()}, the default) or {@code s3}
     * (a bucket of any S3-compatible store, described by {@code s3}).
     */
    public record Blob(String store, S3 s3) {
        public boolean usesS3() { return "s3".equals(store); }
    }

    /**
     * An S3-compatible bucket. {@code endpoint} empty = AWS itself; {@code accessKey} empty = the AWS
     * SDK's default credentials chain; {@code checksums} is {@code when-supported} (the SDK's default)
     * or {@code when-required} (Ceph RGW and other stores that refuse the SDK's trailing checksums and aws-chunked bodies).
     * {@code presignSeconds} &gt; 0: the origin redirects viewers to presigned bucket URLs valid that
     * long for segments and pictures instead of proxying their bytes.
     */
    public record S3(String endpoint, String region, String bucket, boolean pathStyle, String accessKey, String secretKey,
                     String checksums, boolean createBucket, int partSizeMb, int presignSeconds) {
        /** Never prints the secret key, so a logged config leaks nothing. */
        @Override
        public String toString() {
            return "S3[endpoint=" + endpoint + ", region=" + region + ", bucket=" + bucket + ", pathStyle=" + pathStyle
                    + ", accessKey=" + accessKey + ", secretKey=" + (secretKey.isEmpty() ? "" : "***") + ", checksums=" + checksums
                    + ", createBucket=" + createBucket + ", partSizeMb=" + partSizeMb + ", presignSeconds=" + presignSeconds + "]";
        }
    }

    /**
     * Redis, when {@code url} is set: pub/sub between the nodes (notifications and video status
     * reach pages open on any node) and, with {@code cacheType} {@code redis}, the video metadata
     * cache ({@code videoTtl}) and cached counters ({@code countersTtl}, zero = not cached).
     */
    public record Redis(Optional<String> url, String cacheType, Duration videoTtl, Duration countersTtl) {
        public boolean caches() { return "redis".equals(cacheType); }
    }

    /**
     * Hardening of the public surface (kinora.conf.example explains each key).
     * {@code trustedProxies}: addresses or CIDR ranges whose X-Forwarded-For/-Proto/-Host are believed;
     * {@code allowedHosts}: Host values absolute URLs may be built from when {@code publicUrl} is unset;
     * sign-in and sign-up throttles; {@code maxUnfinishedUploads} per user; {@code privatePlaybackTtl}
     * for private videos' playback URLs; {@code metricsToken} (empty: /metrics from loopback only);
     * {@code maxStreamsPerUser} open SSE streams per user (per address when anonymous).
     */
    public record Security(java.util.List<String> trustedProxies, java.util.List<String> allowedHosts,
                           int signInsPerMinutePerAccount, int signInsPerMinutePerAddress, int signUpsPerHourPerAddress,
                           int maxUnfinishedUploads, Duration privatePlaybackTtl, Optional<String> metricsToken,
                           int maxStreamsPerUser) {}

    /**
     * Cross-origin access to the API and tus uploads (issue 13): the web origins
     * ({@code https://app.example.com}, or {@code *} for any) whose pages may call them with a bearer
     * token, and how long browsers may cache a preflight answer. Empty: none. Cookies are never
     * allowed cross-origin. Media is readable from any origin regardless (its URLs carry their grant).
     */
    public record Cors(java.util.List<String> allowedOrigins, Duration maxAge) {
        public boolean allows(String origin) {
            return allowedOrigins.contains("*") || allowedOrigins.contains(origin);
        }
    }

    /**
     * Live streaming (docs/live.md). {@code rtmpPort} 0 picks a free port; {@code publicRtmpUrl}
     * empty: derived from the public URL's host; {@code ingestUrl}: how other API nodes reach this
     * node's live edge (empty: http://127.0.0.1:{server port}).
     */
    public record Live(boolean enabled, String rtmpHost, int rtmpPort, Optional<String> publicRtmpUrl, Optional<String> ingestUrl,
                       Duration partTarget, Duration segmentTarget, int windowSegments, int transcodedRungs, int passThroughMaxKbps,
                       Duration reconnectGrace, int maxIngestKbps, String x264Preset, Duration dvrWindow, int srtLowestPort,
                       int srtHighestPort) {
        /** Whether SRT ingest is on ({@code live.srt-ports} set). */
        public boolean srt() { return srtLowestPort > 0; }

        /** Segments listed per rendition: the DVR window (spilled to the blob store), at least the in-memory window. */
        public int dvrSegments() {
            return (int) Math.max(windowSegments, dvrWindow.toSeconds() / Math.max(1, segmentTarget.toSeconds()));
        }
    }

    /** An optional read replica of the database for read-only listings (home, channel pages, feed, search). */
    public record Replica(Optional<String> url) {}

    public Path embeddedPostgresDir() { return dataDir.resolve("pg"); }

    public Path toolsDir() { return dataDir.resolve("tools"); }

    public Path workDir() { return dataDir.resolve("work"); }

    public Path secretsDir() { return dataDir.resolve("secrets"); }

    /**
     * Delivery at the edge (issue 17, docs/edge.md). {@code offlineMaxAge}: how long the origin keeps
     * playing public videos from what it last read while the database is unreachable;
     * {@code countryDatabase}: an MMDB IP-to-country file (empty: the one bundled in the build);
     * {@code contentProtection}: whether creators may turn on encryption (HLS AES-128, DASH CENC
     * ClearKey; docs/content-protection.md); {@code keyRotationSegments}: HLS segments per key;
     * {@code dashEncryptionScheme}: "cenc" (AES-CTR) or "cbcs" (AES-CBC pattern), the MPD players are given.
     */
    public record Delivery(Duration offlineMaxAge, Optional<Path> countryDatabase, boolean contentProtection,
                           int keyRotationSegments, String dashEncryptionScheme, int mediaPort, Optional<String> mediaUrl) {}

    /**
     * Optional AV1 renditions beside the H.264 ladder (issue 15): {@code enabled} from
     * {@code transcode.av1 = on}; {@code rungs} the H.264 rung names that get an AV1 twin (empty:
     * all); {@code preset} the SVT-AV1 preset.
     */
    public record Av1(boolean enabled, java.util.List<String> rungs, int preset) {}
}
