package org.kinora.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.kinora.core.common.Ids;
import org.kinora.server.Kinora;
import org.kinora.server.config.KinoraConfig;
import org.slf4j.LoggerFactory;

/**
 * API load in the manner of PeerTube's own benchmark (autocannon, 20 connections, 10 s per route):
 * N keep-alive connections, each sending its next request as soon as the previous answer arrived,
 * for a fixed time per route, after a warm-up. Reports requests/s, p50, p99 and max latency and
 * any non-2xx answer. The server runs in this JVM (embedded PostgreSQL in its own processes), so
 * the load generator competes with it for the same cores, as autocannon does on one machine.
 */
final class ApiLoadBench {
    record Settings(int connections, int seconds, int warmupSeconds, int videos, int comments) {}

    private record Result(String route, long requests, long errors, double seconds, long[] latenciesNanos) {}

    private final Settings settings;
    private final Path work;
    private final ObjectMapper json = new ObjectMapper();

    ApiLoadBench(Settings settings, Path work) {
        this.settings = settings;
        this.work = work;
    }

    String run() throws Exception {
        quietServerLogs();
        Files.createDirectories(work);
        Path dataDir = Files.createTempDirectory(work, "api-data-");
        // Rate limits up: one client address and one account make all the load.
        KinoraConfig config = BenchConfig.load(dataDir, Map.of(
                "data.dir", dataDir.toString(),
                "server.host", "127.0.0.1",
                "server.port", "0",
                "worker.concurrency", "0",
                "ratelimit.comments-per-minute", "1000000",
                "ratelimit.writes-per-minute", "10000000",
                "ratelimit.play-events-per-minute", "10000000"));
        List<Result> results = new ArrayList<>();
        String viewCheck;
        Bench.log("starting Kinora (embedded PostgreSQL) in %s ...", dataDir);
        try (Kinora kinora = Kinora.start(config, Kinora.Role.SERVER)) {
            URI base = URI.create("http://127.0.0.1:" + kinora.port());
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String token = account(http, base, "bench");
            String viewer = account(http, base, "viewer");
            String ownerId = json.readTree(http.send(get(base, "/api/v1/me", token), HttpResponse.BodyHandlers.ofString()).body())
                    .get("id").asText();
            String video = seedVideos(kinora.databaseUrl(), ownerId, settings.videos());
            seedComments(http, base, video, token, viewer, settings.comments());
            Bench.log("seeded %d videos and %d comments; %d connections, %d s per route after %d s warm-up",
                    settings.videos(), settings.comments(), settings.connections(), settings.seconds(), settings.warmupSeconds());

            // Every event from a new anonymous session: each one is a view to count, the heaviest case.
            Supplier<HttpRequest> event = () -> post(base, "/api/v1/videos/" + video + "/events",
                    "{\"type\":\"start\",\"session_id\":\"" + UUID.randomUUID() + "\"}");
            Map<String, Supplier<HttpRequest>> routes = new java.util.LinkedHashMap<>();
            routes.put("GET /api/v1/videos/{id}", () -> get(base, "/api/v1/videos/" + video, null));
            routes.put("GET /api/v1/videos/{id} (signed in)", () -> get(base, "/api/v1/videos/" + video, viewer));
            routes.put("GET /api/v1/videos (24 per page)", () -> get(base, "/api/v1/videos?limit=24", null));
            routes.put("GET /api/v1/videos/{id}/comments (20 threads)",
                    () -> get(base, "/api/v1/videos/" + video + "/comments?limit=20", null));
            routes.put("POST /api/v1/videos/{id}/events", event);
            long before = viewCount(http, base, video);
            long accepted = 0;
            // Warm every route first, so the first one measured is not the one paying for the JIT.
            for (var route : routes.entrySet()) {
                Bench.log("%s: warming up ...", route.getKey());
                Result w = load(route.getValue(), settings.warmupSeconds());
                if (route.getValue() == event) accepted += w.requests() - w.errors();
            }
            Thread.sleep(3000); // the warm-up's last batch of view events is written before anything is measured
            OtherCpu others = OtherCpu.start();
            for (var route : routes.entrySet()) {
                Result r = measure(route.getKey(), route.getValue());
                results.add(r);
                if (route.getValue() == event) accepted += r.requests() - r.errors();
            }
            String cpu = "During the measured runs " + others.describe() + " (the embedded PostgreSQL counts as other processes here).\n";
            viewCheck = awaitViews(http, base, video, before, accepted) + cpu;
        } finally {
            LadderBench.deleteTree(dataDir);
        }
        return report(results) + viewCheck;
    }

    private String account(HttpClient http, URI base, String name) throws Exception {
        String password = UUID.randomUUID().toString();
        http.send(HttpRequest.newBuilder(base.resolve("/api/v1/auth/register")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("username", name,
                        "email", name + "@example.org", "password", password)))).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> t = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/auth/token"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        json.writeValueAsString(Map.of("username", name, "password", password)))).build(), HttpResponse.BodyHandlers.ofString());
        return json.readTree(t.body()).get("access_token").asText();
    }

    /** Ready public videos written as the pipeline leaves them (transcoding hundreds is not what this measures). */
    private static String seedVideos(String jdbcUrl, String ownerId, int count) throws Exception {
        String first = null;
        try (Connection c = DriverManager.getConnection(jdbcUrl); PreparedStatement st = c.prepareStatement("""
                INSERT INTO videos (id, owner_id, title, description, privacy, status, progress, duration_seconds, width, height,
                                    created_at, updated_at, published_at)
                VALUES (?, ?, ?, 'A seeded video for the API benchmark.', 'public', 'ready', 100, 600, 1920, 1080, ?, ?, ?)""")) {
            Instant t0 = Instant.now().minus(Duration.ofDays(30));
            for (int i = 0; i < count; i++) {
                String id = Ids.newVideoId();
                if (first == null) first = id;
                Timestamp t = Timestamp.from(t0.plusSeconds(i * 60L));
                st.setString(1, id);
                st.setString(2, ownerId);
                st.setString(3, "Benchmark video " + i);
                st.setTimestamp(4, t);
                st.setTimestamp(5, t);
                st.setTimestamp(6, t);
                st.addBatch();
            }
            st.executeBatch();
        }
        return first;
    }

    /** Threads with a few replies each, through the API. */
    private void seedComments(HttpClient http, URI base, String video, String a, String b, int count) throws Exception {
        String path = "/api/v1/videos/" + video + "/comments";
        for (int i = 0; i < count; i++) {
            String token = i % 2 == 0 ? a : b;
            if (i % 5 == 4) {
                JsonNode threads = json.readTree(http.send(get(base, path + "?limit=1", null), HttpResponse.BodyHandlers.ofString()).body());
                String parent = threads.get("items").get(0).get("id").asText();
                send(http, authed(post(base, path, json.writeValueAsString(Map.of("text", "Reply " + i, "parent_id", parent))), token));
            } else {
                send(http, authed(post(base, path, json.writeValueAsString(Map.of("text", "Comment number " + i
                        + ": plain text with <b>markup</b> kept as written."))), token));
            }
        }
    }

    private static void send(HttpClient http, HttpRequest r) throws Exception {
        HttpResponse<String> res = http.send(r, HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() / 100 != 2) throw new IllegalStateException(r.uri() + " -> " + res.statusCode() + " " + res.body());
    }

    private static HttpRequest authed(HttpRequest r, String token) {
        return HttpRequest.newBuilder(r, (k, v) -> true).header("Authorization", "Bearer " + token).build();
    }

    private static HttpRequest get(URI base, String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).GET();
        if (token != null) b.header("Authorization", "Bearer " + token);
        return b.build();
    }

    private static HttpRequest post(URI base, String path, String body) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private Result measure(String route, Supplier<HttpRequest> request) throws Exception {
        Bench.log("%s: measuring ...", route);
        Result r = load(request, settings.seconds());
        Result named = new Result(route, r.requests(), r.errors(), r.seconds(), r.latenciesNanos());
        Bench.log("%s: %.0f requests/s, p50 %s, p99 %s, %d errors", route, named.requests() / named.seconds(),
                ms(percentile(named.latenciesNanos(), 50)), ms(percentile(named.latenciesNanos(), 99)), named.errors());
        return named;
    }

    /** {@code connections} threads, one keep-alive HTTP/1.1 connection each, closed loop for {@code seconds}. */
    private Result load(Supplier<HttpRequest> request, int seconds) throws Exception {
        int n = settings.connections();
        long[][] latencies = new long[n][];
        int[] counts = new int[n];
        AtomicLong errors = new AtomicLong();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        long[] window = new long[2];
        for (int i = 0; i < n; i++) {
            int slot = i;
            threads.add(Thread.ofPlatform().name("load-" + i).start(() -> {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                long[] mine = new long[1 << 16];
                int count = 0;
                try {
                    go.await();
                    long end = window[1];
                    while (System.nanoTime() < end) {
                        HttpRequest r = request.get();
                        long start = System.nanoTime();
                        HttpResponse<byte[]> res = client.send(r, HttpResponse.BodyHandlers.ofByteArray());
                        long took = System.nanoTime() - start;
                        if (res.statusCode() / 100 != 2) errors.incrementAndGet();
                        if (count == mine.length) mine = Arrays.copyOf(mine, count * 2);
                        mine[count++] = took;
                    }
                } catch (Exception e) {
                    errors.incrementAndGet();
                } finally {
                    latencies[slot] = mine;
                    counts[slot] = count;
                    client.close();
                }
            }));
        }
        window[0] = System.nanoTime();
        window[1] = window[0] + Duration.ofSeconds(seconds).toNanos();
        go.countDown();
        for (Thread t : threads) t.join();
        double elapsed = (System.nanoTime() - window[0]) / 1e9;
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int i = 0; i < n; i++) {
            System.arraycopy(latencies[i], 0, all, at, counts[i]);
            at += counts[i];
        }
        Arrays.sort(all);
        return new Result("", total, errors.get(), elapsed, all);
    }

    private long viewCount(HttpClient http, URI base, String video) throws Exception {
        return json.readTree(http.send(get(base, "/api/v1/videos/" + video, null), HttpResponse.BodyHandlers.ofString()).body())
                .get("view_count").asLong();
    }

    /** After the load stops: how long until the counter shows every accepted event (each was a new session). */
    private String awaitViews(HttpClient http, URI base, String video, long before, long accepted) throws Exception {
        long stop = System.nanoTime();
        long last = -1;
        long stableSince = System.nanoTime();
        while (System.nanoTime() - stop < Duration.ofSeconds(60).toNanos()) {
            long now = viewCount(http, base, video);
            if (now != last) {
                last = now;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince > Duration.ofSeconds(3).toNanos()) {
                break;
            }
            Thread.sleep(20);
        }
        double lag = (stableSince - stop) / 1e9;
        return String.format(Locale.ROOT, "%nView events: %d accepted (202) in warm-up and measurement, each from a new session; "
                + "%d views counted; the counter reached its final value %.2f s after the load ended.%n", accepted, last - before, lag);
    }

    private String report(List<Result> results) {
        Table t = new Table("route", "requests/s", "p50", "p99", "max", "requests", "non-2xx");
        for (Result r : results) {
            t.row(r.route(), String.format(Locale.ROOT, "%.0f", r.requests() / r.seconds()), ms(percentile(r.latenciesNanos(), 50)),
                    ms(percentile(r.latenciesNanos(), 99)), ms(r.latenciesNanos().length == 0 ? 0 : r.latenciesNanos()[r.latenciesNanos().length - 1]),
                    Long.toString(r.requests()), Long.toString(r.errors()));
        }
        return String.format(Locale.ROOT, "API load benchmark: %d connections, %d s per route after %d s warm-up, %d cores, "
                        + "%d seeded videos, %d comments on the measured video%n%n", settings.connections(), settings.seconds(),
                settings.warmupSeconds(), Runtime.getRuntime().availableProcessors(), settings.videos(), settings.comments())
                + t.render();
    }

    private static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) return 0;
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    private static void quietServerLogs() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
            logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
        }
    }
}
