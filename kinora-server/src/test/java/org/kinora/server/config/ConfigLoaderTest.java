package org.kinora.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.media.ffmpeg.MediaLimits;

@Timeout(60)
class ConfigLoaderTest {
    private static final Path EXAMPLE = Path.of("..", "kinora.conf.example");

    @Test
    void theDashEncryptionSchemeIsCencByDefaultOrCbcsAndNothingElse() throws Exception {
        assertThat(ConfigLoader.load(Optional.empty(), Map.of(), Map.of()).delivery().dashEncryptionScheme()).isEqualTo("cenc");
        KinoraConfig.Delivery cbcs = ConfigLoader.load(Optional.empty(), Map.of(), Map.of("delivery.dash-encryption-scheme", "CBCS")).delivery();
        assertThat(cbcs.dashEncryptionScheme()).isEqualTo("cbcs");
        // What the video JSON then names for a protected video's DASH.
        assertThat(new org.kinora.server.protection.PlaybackGate(null, null, null, true, cbcs.dashEncryptionScheme()).protectedDashManifest())
                .isEqualTo("cbcs/manifest.mpd");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(), Map.of("delivery.dash-encryption-scheme", "cens")))
                .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining("cenc").hasMessageContaining("cbcs");
    }

    @Test
    void liveSrtPortsAndTheDvrWindowAreReadAndChecked() throws Exception {
        KinoraConfig.Live l = ConfigLoader.load(Optional.empty(), Map.of(), Map.of("live.srt-ports", "9000-9009", "live.dvr-minutes", "30")).live();
        assertThat(l.srt()).isTrue();
        assertThat(l.srtLowestPort()).isEqualTo(9000);
        assertThat(l.srtHighestPort()).isEqualTo(9009);
        assertThat(l.dvrSegments()).isEqualTo(900); // 30 min of 2 s segments
        KinoraConfig.Live defaults = ConfigLoader.load(Optional.empty(), Map.of(), Map.of()).live();
        assertThat(defaults.srt()).isFalse();
        assertThat(defaults.dvrSegments()).isEqualTo(3600);
        assertThat(ConfigLoader.load(Optional.empty(), Map.of(), Map.of("live.dvr-minutes", "0")).live().dvrSegments())
                .as("the in-memory window only").isEqualTo(60);
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(), Map.of("live.srt-ports", "9009-9000")))
                .hasMessageContaining("live.srt-ports must be within 1-65535, lowest first");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(), Map.of("live.srt-ports", "udp")))
                .hasMessageContaining("live.srt-ports is a UDP port or a range");
    }

    @Test
    void emailAndScannerKeysAreCheckedWhenLoaded() throws Exception {
        KinoraConfig.Trust t = ConfigLoader.load(Optional.empty(), Map.of(), Map.of("smtp.host", "mail.example.org",
                "smtp.security", "tls", "smtp.port", "465", "clamav.clamd", "unix:/run/clamav/clamd.ctl")).trust();
        assertThat(t.smtpHost()).hasValue("mail.example.org");
        assertThat(t.smtpSecurity()).isEqualTo("tls");
        assertThat(t.clamd()).hasValue("unix:/run/clamav/clamd.ctl");
        assertThat(ConfigLoader.load(Optional.empty(), Map.of(), Map.of()).trust().smtpHost()).isEmpty();
        assertThat(ConfigLoader.load(Optional.empty(), Map.of(), Map.of("clamav.clamd", "127.0.0.1:3310")).trust().clamd())
                .hasValue("127.0.0.1:3310");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(), Map.of("smtp.security", "ssl")))
                .hasMessageContaining("smtp.security must be none, starttls or tls");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(), Map.of("clamav.clamd", "localhost")))
                .hasMessageContaining("clamav.clamd is host:port");
    }

    @Test
    void theScaleOutExampleInDeployLoadsAndSwitchesEveryConcernToItsEngine() throws Exception {
        KinoraConfig c = ConfigLoader.load(Optional.of(Path.of("..", "deploy", "kinora-scale.conf")), Map.of(), Map.of());
        assertThat(c.databaseUrl()).hasValue("jdbc:postgresql://db.internal:5432/kinora");
        assertThat(c.replica().url()).hasValue("jdbc:postgresql://db-replica.internal:5432/kinora");
        assertThat(c.blob().store()).isEqualTo("s3");
        assertThat(c.blob().s3().bucket()).isEqualTo("kinora-media");
        assertThat(c.kafka().jobsQueue()).isEqualTo("kafka");
        assertThat(c.kafka().eventsRelay()).isEqualTo("kafka");
        assertThat(c.redis().url()).hasValue("redis://redis.internal:6379/0");
        assertThat(c.redis().cacheType()).isEqualTo("redis");
    }

    @Test
    void theExampleFileDocumentsExactlyTheKnownKeysWithTheirDefaults() throws Exception {
        Properties example = new Properties();
        try (Reader r = Files.newBufferedReader(EXAMPLE)) {
            example.load(r);
        }
        assertThat(example.stringPropertyNames()).containsExactlyInAnyOrderElementsOf(ConfigLoader.DEFAULTS.keySet());
        for (String key : example.stringPropertyNames()) {
            assertThat(example.getProperty(key).trim()).as(key).isEqualTo(ConfigLoader.DEFAULTS.get(key));
        }
        // Loading the example unchanged gives the same config as no file at all.
        assertThat(ConfigLoader.load(Optional.of(EXAMPLE), Map.of(), Map.of()))
                .isEqualTo(ConfigLoader.load(Optional.empty(), Map.of(), Map.of()));
    }

    @Test
    void mediaLimitsDefaultToTheLibrarysAndAreParsedAndChecked() throws Exception {
        assertThat(ConfigLoader.load(Optional.empty(), Map.of(), Map.of()).mediaLimits()).isEqualTo(MediaLimits.DEFAULTS);
        MediaLimits set = ConfigLoader.load(Optional.empty(), Map.of(), Map.of(
                "transcode.max-duration-seconds", "600", "transcode.min-side", "32", "transcode.max-side", "1920",
                "transcode.max-pixels", "2073600", "transcode.max-frame-rate", "60", "transcode.min-bits-per-second", "0",
                "transcode.time-budget-factor", "3", "transcode.time-budget-base-seconds", "60")).mediaLimits();
        assertThat(set).isEqualTo(new MediaLimits(600, 32, 1920, 2_073_600, 60, 0, 3, Duration.ofMinutes(1)));
        assertThat(set.timeBudget(100)).isEqualTo(Duration.ofMinutes(6));
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(), Map.of("transcode.min-side", "64", "transcode.max-side", "32")))
                .hasMessage("transcode.max-side must be at least 64, not 32.");
    }

    @Test
    void av1RungsAreOffByDefaultAndTheirKeysAreChecked() throws Exception {
        assertThat(ConfigLoader.load(Optional.empty(), Map.of(), Map.of()).av1()).isEqualTo(new KinoraConfig.Av1(false, List.of(), 10));
        assertThat(ConfigLoader.load(Optional.empty(), Map.of(), Map.of("transcode.av1", "on", "transcode.av1-rungs", " 720p, 1080p ",
                "transcode.av1-preset", "8")).av1()).isEqualTo(new KinoraConfig.Av1(true, List.of("720p", "1080p"), 8));
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(), Map.of("transcode.av1", "yes")))
                .hasMessage("transcode.av1 must be on or off, not 'yes'.");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(), Map.of("transcode.av1-rungs", "720p-av1")))
                .hasMessageContaining("H.264 rung names such as 720p,1080p");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(), Map.of("transcode.av1-preset", "14")))
                .hasMessageContaining("transcode.av1-preset");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(), Map.of("kafka.published-per-account", "0")))
                .hasMessageContaining("kafka.published-per-account");
    }

    @Test
    void fileThenEnvironmentThenFlagsEachOverrideTheOneBefore(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("kinora.conf");
        Files.writeString(file, "server.port = 9000\nworker.lease-seconds = 20\ndata.dir = " + dir.resolve("a") + "\n");
        KinoraConfig fromFile = ConfigLoader.load(Optional.of(file), Map.of(), Map.of());
        assertThat(fromFile.port()).isEqualTo(9000);
        assertThat(fromFile.jobLease()).isEqualTo(Duration.ofSeconds(20));
        assertThat(fromFile.blobDir()).isEqualTo(dir.resolve("a").resolve("blobs"));

        KinoraConfig fromEnv = ConfigLoader.load(Optional.of(file), Map.of("KINORA_PORT", "9100", "KINORA_WORKER_LEASE_SECONDS", "30"), Map.of());
        assertThat(fromEnv.port()).isEqualTo(9100);
        assertThat(fromEnv.jobLease()).isEqualTo(Duration.ofSeconds(30));

        KinoraConfig fromFlags = ConfigLoader.load(Optional.of(file), Map.of("KINORA_PORT", "9100"), Map.of("server.port", "9200"));
        assertThat(fromFlags.port()).isEqualTo(9200);
    }

    @Test
    void corsOriginsDefaultToNoneAndMustBeBareOrigins() throws Exception {
        assertThat(ConfigLoader.load(Optional.empty(), Map.of(), Map.of()).cors().allowedOrigins()).isEmpty();
        KinoraConfig.Cors cors = ConfigLoader.load(Optional.empty(), Map.of(),
                Map.of("cors.allowed-origins", "https://Studio.example.com, http://localhost:3000", "cors.max-age-seconds", "60")).cors();
        assertThat(cors.allows("https://studio.example.com")).isTrue();
        assertThat(cors.allows("http://localhost:3000")).isTrue();
        assertThat(cors.allows("http://localhost:3001")).isFalse();
        assertThat(cors.maxAge()).isEqualTo(java.time.Duration.ofSeconds(60));
        assertThat(ConfigLoader.load(Optional.empty(), Map.of(), Map.of("cors.allowed-origins", "*")).cors().allows("https://any.example")).isTrue();
        for (String bad : new String[] {"https://example.com/", "example.com", "https://example.com/path", "javascript:alert(1)"}) {
            assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(), Map.of("cors.allowed-origins", bad)))
                    .as(bad).hasMessageContaining("cors.allowed-origins holds origins");
        }
    }

    @Test
    void moderationHoldsAreOffByDefaultAndParsedAndChecked() throws Exception {
        KinoraConfig.Moderation off = ConfigLoader.load(Optional.empty(), Map.of(), Map.of()).moderation();
        assertThat(off).isEqualTo(new KinoraConfig.Moderation(30, 0, 0, java.util.List.of(), false));
        KinoraConfig.Moderation set = ConfigLoader.load(Optional.empty(), Map.of(), Map.of("moderation.reports-per-hour", "5",
                "moderation.hold-new-account-days", "7", "moderation.hold-until-published", "2",
                "moderation.hold-keywords", " Casino , free money,", "moderation.hold-videos-by-keyword", "true")).moderation();
        assertThat(set).isEqualTo(new KinoraConfig.Moderation(5, 7, 2, java.util.List.of("casino", "free money"), true));
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(), Map.of("moderation.hold-videos-by-keyword", "yes")))
                .hasMessageContaining("moderation.hold-videos-by-keyword must be true or false");
    }

    @Test
    void mistakesNameTheKeyToFix(@TempDir Path dir) throws Exception {
        Path typo = dir.resolve("typo.conf");
        Files.writeString(typo, "server.prot = 80\n");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(typo), Map.of(), Map.of()))
                .hasMessageContaining("Unknown config key 'server.prot'");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("KINORA_PORT", "eighty"), Map.of()))
                .hasMessageContaining("server.port must be a whole number");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(dir.resolve("missing.conf")), Map.of(), Map.of()))
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(), Map.of("transcode.default-audio-language", "en\"x")))
                .hasMessageContaining("transcode.default-audio-language must be a BCP 47 language tag");
        assertThat(ConfigLoader.load(Optional.empty(), Map.of(), Map.of()).defaultAudioLanguage()).isEqualTo("und");
        assertThat(ConfigLoader.load(Optional.empty(), Map.of(), Map.of("transcode.default-audio-language", "pt-BR"))
                .defaultAudioLanguage()).isEqualTo("pt-BR");
    }
    @Test
    void s3IsChosenAndCheckedThroughItsKeys() throws Exception {
        KinoraConfig local = ConfigLoader.load(Optional.empty(), Map.of(), Map.of());
        assertThat(local.blob().usesS3()).isFalse();

        KinoraConfig s3 = ConfigLoader.load(Optional.empty(), Map.of("KINORA_S3_SECRET_KEY", "from-env"), Map.of(
                "blob.store", "s3", "s3.endpoint", "http://127.0.0.1:9000", "s3.bucket", "media", "s3.path-style", "true",
                "s3.access-key", "kinora", "s3.checksums", "when-required"));
        assertThat(s3.blob().usesS3()).isTrue();
        assertThat(s3.blob().s3()).isEqualTo(new KinoraConfig.S3("http://127.0.0.1:9000", "us-east-1", "media", true, "kinora",
                "from-env", "when-required", true, 8, 0));
        assertThat(s3.toString()).doesNotContain("from-env");

        Map<String, String> base = Map.of("blob.store", "s3", "s3.bucket", "media");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(), Map.of("blob.store", "s3")))
                .hasMessageContaining("s3.bucket");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(), with(base, "s3.endpoint", "127.0.0.1:9000")))
                .hasMessageContaining("s3.endpoint must be an http:// or https:// URL");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(), with(base, "s3.part-size-mb", "4")))
                .hasMessageContaining("s3.part-size-mb must be between 5");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(), with(base, "upload.max-size-bytes", "100000000000")))
                .hasMessageContaining("raise s3.part-size-mb to at least 10");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(), with(base, "s3.access-key", "only-half")))
                .hasMessageContaining("s3.access-key and s3.secret-key go together");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(), with(base, "s3.path-style", "maybe")))
                .hasMessageContaining("s3.path-style must be true or false");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(), with(base, "s3.presign-seconds", "-1")))
                .hasMessageContaining("s3.presign-seconds must be between 0");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(), Map.of("blob.store", "ftp")))
                .hasMessageContaining("blob.store must be 'local' or 's3'");
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> m = new java.util.HashMap<>(base);
        m.put(key, value);
        return m;
    }
}
