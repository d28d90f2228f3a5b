package org.kinora.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.kinora.core.common.Ids;
import org.kinora.server.Kinora;
import org.kinora.server.auth.Secrets;
import org.kinora.server.config.KinoraConfig;
import org.kinora.server.playback.PlaybackTokens;
import org.slf4j.LoggerFactory;

/**
 * Kinora's media origin against Debian's nginx serving the same segment file from disk, at N
 * keep-alive connections on loopback (each sends its next request when the previous answer is
 * in), for a ~1.4 MB (720p-sized) and a ~180 KB (240p-sized) segment; then V simulated viewers
 * fetching a segment every 2 s (playback pace), each with its own token, for S seconds through
 * the origin. The load generator shares the machine's cores with the servers.
 */
final class OriginBench {
    record Settings(int connections, int seconds, int viewers, int viewerSeconds) {}

    private record Result(String what, long requests, long errors, double seconds, long[] latenciesNanos) {}

    private static final String SECRET = "bench-secret-bench-secret-bench-secret-1";

    private final Settings settings;
    private final Path work;
    private final ObjectMapper json = new ObjectMapper();

    OriginBench(Settings settings, Path work) {
        this.settings = settings;
        this.work = work;
    }

    String run() throws Exception {
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("org.kinora").setLevel(Level.WARN);
        Files.createDirectories(work);
        Path dataDir = Files.createTempDirectory(work, "origin-data-");
        KinoraConfig config = BenchConfig.load(dataDir, Map.of("data.dir", dataDir.toString(), "server.host", "127.0.0.1",
                "server.port", "0", "worker.concurrency", "0", "auth.secret", SECRET));
        List<Result> results = new ArrayList<>();
        String cpu;
        long originRequests;
        try (Kinora kinora = Kinora.start(config, Kinora.Role.SERVER)) {
            URI base = URI.create("http://127.0.0.1:" + kinora.port());
            HttpClient setup = HttpClient.newHttpClient();
            String ownerId = ownerId(setup, base);
            String video = seedVideo(kinora.databaseUrl(), ownerId);
            Random random = new Random(17);
            Map<String, Integer> segments = Map.of("720p/seg_00001.m4s", 1_400_000, "240p/seg_00001.m4s", 180_000);
            for (var s : segments.entrySet()) {
                byte[] bytes = new byte[s.getValue()];
                random.nextBytes(bytes);
                kinora.blobs().put("videos/" + video + "/" + s.getKey(), bytes, "video/iso.segment");
            }
            byte[] key = Secrets.load(Optional.of(SECRET), dataDir.resolve("secrets")).derive(PlaybackTokens.KEY_PURPOSE);
            PlaybackTokens tokens = new PlaybackTokens(key, Duration.ofHours(2), Instant::now);
            String token = tokens.issue(video, null);
            try (Nginx nginx = Nginx.start(dataDir.resolve("nginx"), config.blobDir())) {
                OtherCpu others = OtherCpu.start();
                for (String segment : List.of("720p/seg_00001.m4s", "240p/seg_00001.m4s")) {
                    String origin = base + "/media/" + token + "/" + video + "/" + segment;
                    String plain = "http://127.0.0.1:" + nginx.port + "/videos/" + video + "/" + segment;
                    for (var target : List.of(Map.entry("nginx " + segment, plain), Map.entry("Kinora " + segment, origin))) {
                        Bench.log("%s: warming up 3 s ...", target.getKey());
                        load(target.getKey(), target.getValue(), settings.connections(), 3);
                        Bench.log("%s: %d connections for %d s ...", target.getKey(), settings.connections(), settings.seconds());
                        results.add(load(target.getKey(), target.getValue(), settings.connections(), settings.seconds()));
                    }
                }
                Bench.log("%d viewers, one segment each every 2 s, for %d s through the origin ...", settings.viewers(), settings.viewerSeconds());
                results.add(viewers(base, "origin", video, tokens));
                Path keyFile = Files.writeString(dataDir.resolve("playback.key"), java.util.Base64.getEncoder().encodeToString(key));
                try (CdnTier shield = CdnTier.start("shield", dataDir.resolve("cdn"), kinora.port(), keyFile);
                     CdnTier edge = CdnTier.start("edge", dataDir.resolve("cdn"), shield.port, keyFile)) {
                    Bench.log("%d viewers, one segment each every 2 s, for %d s through edge and shield ...", settings.viewers(), settings.viewerSeconds());
                    results.add(viewers(URI.create("http://127.0.0.1:" + edge.port), "edge", video, tokens));
                    originRequests = shield.originRequests();
                }
                cpu = "During the runs " + others.describe() + ".\n";
            }
        }
        return report(results, cpu) + "Requests the shield sent to the origin during the edge run: " + originRequests + "\n";
    }

    private Result load(String what, String url, int connections, int seconds) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        AtomicLong errors = new AtomicLong();
        List<long[]> perThread = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long started = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            long[][] mine = {new long[1024]};
            int[] n = {0};
            perThread.add(null);
            int index = c;
            threads.add(Thread.ofVirtual().start(() -> {
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() != 200) errors.incrementAndGet();
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    if (n[0] == mine[0].length) mine[0] = Arrays.copyOf(mine[0], n[0] * 2);
                    mine[0][n[0]++] = System.nanoTime() - t0;
                }
                synchronized (perThread) {
                    perThread.set(index, Arrays.copyOf(mine[0], n[0]));
                }
            }));
        }
        for (Thread t : threads) t.join();
        double elapsed = (System.nanoTime() - started) / 1e9;
        long[] all = perThread.stream().flatMapToLong(Arrays::stream).toArray();
        return new Result(what, all.length, errors.get(), elapsed, all);
    }

    /** Each viewer: its own token, a segment every 2 s from a random start, alternating the two rungs. */
    private Result viewers(URI base, String via, String video, PlaybackTokens tokens) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        long end = System.nanoTime() + settings.viewerSeconds() * 1_000_000_000L;
        AtomicLong errors = new AtomicLong();
        List<long[]> lat = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long started = System.nanoTime();
        for (int v = 0; v < settings.viewers(); v++) {
            String token = tokens.issue(video, "viewer-" + v);
            threads.add(Thread.ofVirtual().start(() -> {
                long[] mine = new long[settings.viewerSeconds() / 2 + 4];
                int n = 0;
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextLong(2000));
                    long next = System.nanoTime();
                    for (int i = 0; System.nanoTime() < end && n < mine.length; i++) {
                        String segment = i % 4 == 0 ? "240p/seg_00001.m4s" : "720p/seg_00001.m4s";
                        HttpRequest r = HttpRequest.newBuilder(URI.create(base + "/media/" + token + "/" + video + "/" + segment))
                                .timeout(Duration.ofSeconds(30)).build();
                        long t0 = System.nanoTime();
                        try {
                            if (http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) errors.incrementAndGet();
                        } catch (IOException e) {
                            errors.incrementAndGet();
                        }
                        mine[n++] = System.nanoTime() - t0;
                        next += 2_000_000_000L;
                        long wait = next - System.nanoTime();
                        if (wait > 0) Thread.sleep(wait / 1_000_000);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                synchronized (lat) {
                    lat.add(Arrays.copyOf(mine, n));
                }
            }));
        }
        for (Thread t : threads) t.join();
        long[] all = lat.stream().flatMapToLong(Arrays::stream).toArray();
        return new Result(settings.viewers() + " viewers (" + via + ")", all.length, errors.get(), (System.nanoTime() - started) / 1e9, all);
    }

    private String report(List<Result> results, String cpu) {
        StringBuilder b = new StringBuilder("Media origin vs nginx on the same file, " + settings.connections() + " connections, "
                + settings.seconds() + " s each, loopback\n");
        b.append(String.format(Locale.ROOT, "%-34s %10s %9s %9s %9s %7s%n", "target", "req/s", "p50 ms", "p99 ms", "max ms", "errors"));
        for (Result r : results) {
            long[] l = r.latenciesNanos().clone();
            Arrays.sort(l);
            b.append(String.format(Locale.ROOT, "%-34s %10.0f %9.1f %9.1f %9.1f %7d%n", r.what(), r.requests() / r.seconds(),
                    pct(l, 0.50), pct(l, 0.99), l.length == 0 ? 0 : l[l.length - 1] / 1e6, r.errors()));
        }
        for (int i = 0; i + 1 < results.size() && i < 4; i += 2) {
            b.append(String.format(Locale.ROOT, "Kinora/nginx %s: %.2fx%n", results.get(i).what().replace("nginx ", ""),
                    (results.get(i + 1).requests() / results.get(i + 1).seconds()) / (results.get(i).requests() / results.get(i).seconds())));
        }
        return b.append(cpu).toString();
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) return 0;
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    private String ownerId(HttpClient http, URI base) throws Exception {
        String password = UUID.randomUUID().toString();
        http.send(HttpRequest.newBuilder(base.resolve("/api/v1/auth/register")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("username", "origin",
                        "email", "origin@example.org", "password", password)))).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> t = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/auth/token"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        json.writeValueAsString(Map.of("username", "origin", "password", password)))).build(), HttpResponse.BodyHandlers.ofString());
        String token = json.readTree(t.body()).get("access_token").asText();
        return json.readTree(http.send(HttpRequest.newBuilder(base.resolve("/api/v1/me")).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString()).body()).get("id").asText();
    }

    private static String seedVideo(String jdbcUrl, String ownerId) throws Exception {
        String id = Ids.newVideoId();
        try (Connection c = DriverManager.getConnection(jdbcUrl); PreparedStatement st = c.prepareStatement("""
                INSERT INTO videos (id, owner_id, title, description, privacy, status, progress, duration_seconds, width, height,
                                    created_at, updated_at, published_at)
                VALUES (?, ?, 'Origin bench', '', 'public', 'ready', 100, 600, 1280, 720, ?, ?, ?)""")) {
            Timestamp now = Timestamp.from(Instant.now());
            st.setString(1, id);
            st.setString(2, ownerId);
            st.setTimestamp(3, now);
            st.setTimestamp(4, now);
            st.setTimestamp(5, now);
            st.executeUpdate();
        }
        return id;
    }

    /** Debian's nginx serving the blob directory as it is, the baseline. */
    private static final class Nginx implements AutoCloseable {
        final int port;
        private final Process process;

        private Nginx(int port, Process process) {
            this.port = port;
            this.process = process;
        }

        static Nginx start(Path dir, Path root) throws Exception {
            Files.createDirectories(dir);
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            String conf = """
                    worker_processes auto;
                    pid %1$s/nginx.pid;
                    error_log %1$s/error.log warn;
                    events { worker_connections 4096; }
                    http {
                        access_log off;
                        sendfile on;
                        tcp_nopush on;
                        keepalive_requests 100000;
                        client_body_temp_path %1$s/body; proxy_temp_path %1$s/proxy; fastcgi_temp_path %1$s/fastcgi;
                        uwsgi_temp_path %1$s/uwsgi; scgi_temp_path %1$s/scgi;
                        default_type video/iso.segment;
                        server { listen 127.0.0.1:%2$d backlog=4096; root %3$s; }
                    }
                    """.formatted(dir, port, root);
            Path file = dir.resolve("nginx.conf");
            Files.writeString(file, conf);
            Process p = new ProcessBuilder("/usr/sbin/nginx", "-c", file.toString(), "-e", dir.resolve("startup.log").toString(),
                    "-g", "daemon off;").redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
            Instant deadline = Instant.now().plusSeconds(10);
            while (true) {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    return new Nginx(port, p);
                } catch (IOException notYet) {
                    if (!p.isAlive() || Instant.now().isAfter(deadline)) {
                        p.destroyForcibly();
                        throw new IllegalStateException("nginx did not start (apt-get install nginx): " + Files.readString(dir.resolve("stdout.log")));
                    }
                    Thread.sleep(50);
                }
            }
        }

        @Override
        public void close() {
            process.destroy();
        }
    }

    /** One tier of the shipped CDN config (deploy/nginx/cdn), rendered as EdgeCacheIT renders it. */
    private static final class CdnTier implements AutoCloseable {
        final int port;
        private final Path runDir;
        private final Process process;

        private CdnTier(int port, Path runDir, Process process) {
            this.port = port;
            this.runDir = runDir;
            this.process = process;
        }

        static CdnTier start(String tier, Path dir, int upstreamPort, Path keyFile) throws Exception {
            Path cdn = Path.of("deploy", "nginx", "cdn").toAbsolutePath();
            Path runDir = Files.createDirectories(dir.resolve(tier));
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Map<String, String> values = Map.of("TIER", tier, "LISTEN", "127.0.0.1:" + port, "UPSTREAM", "127.0.0.1:" + upstreamPort,
                    "CACHE_DIR", Files.createDirectories(dir.resolve(tier + "-cache")).toString(), "CACHE_MAX_SIZE", "1g",
                    "RUN_DIR", runDir.toString(), "KEY_FILE", keyFile.toString(), "NJS_DIR", cdn.toString(),
                    "NGINX_USER", System.getProperty("user.name"), "COUNTRY", tier.equals("edge") ? "\"\"" : "$http_x_kinora_country");
            String conf = Files.readString(cdn.resolve("kinora-cdn.conf.template"));
            for (var e : values.entrySet()) conf = conf.replace("${" + e.getKey() + "}", e.getValue());
            Path file = runDir.resolve("nginx.conf");
            Files.writeString(file, conf);
            Process p = new ProcessBuilder("/usr/sbin/nginx", "-c", file.toString(), "-e", runDir.resolve("startup.log").toString(),
                    "-g", "daemon off;").redirectErrorStream(true).redirectOutput(runDir.resolve("stdout.log").toFile()).start();
            Instant deadline = Instant.now().plusSeconds(10);
            while (true) {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    return new CdnTier(port, runDir, p);
                } catch (IOException notYet) {
                    if (!p.isAlive() || Instant.now().isAfter(deadline)) {
                        p.destroyForcibly();
                        throw new IllegalStateException("nginx " + tier + " did not start (apt-get install nginx libnginx-mod-http-js): "
                                + Files.readString(runDir.resolve("stdout.log")));
                    }
                    Thread.sleep(50);
                }
            }
        }

        /** Media requests this tier passed upstream (its access log, format "kinora"). */
        long originRequests() throws IOException {
            try (var lines = Files.lines(runDir.resolve("access.log"))) {
                return lines.filter(l -> l.contains("\"/_kinora/object/") && !l.contains(" \"-\" ")).count();
            }
        }

        @Override
        public void close() {
            process.destroy();
        }
    }
}
