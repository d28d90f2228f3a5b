package org.kinora.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.kinora.adapters.postgres.PgAnalyticsRepository;
import org.kinora.adapters.postgres.PostgresDatabase;
import org.kinora.core.analytics.AnalyticsIngest;
import org.kinora.core.analytics.AnalyticsRepository;
import org.kinora.core.analytics.PlaybackFold;
import org.kinora.core.analytics.Rollup;
import org.kinora.server.Kinora;
import org.kinora.server.config.KinoraConfig;

/**
 * Analytics at scale on one node (embedded PostgreSQL, the real outbox and consumer):
 *
 * <ol>
 *   <li><b>Ingest.</b> C client threads post play events (start, then a heartbeat one second of
 *       video further each) for S anonymous sessions over HTTP; measured: the rate the API accepts
 *       them and the rate they reach the rollups (view counting with its dedup marks, the
 *       {@code video.played} outbox rows, the consumer's raw-event dedup and rollup upserts).
 *   <li><b>Query.</b> N million raw play events over 90 days for one channel of V videos are
 *       generated in bulk by SQL, rolled up day by day with the same fold the consumer runs, and
 *       the 90-day channel report (GET /api/v1/channels/{id}/analytics?range=90d) is timed.
 * </ol>
 */
final class AnalyticsBench {
    record Settings(int sessions, int connections, int millions, int videos) {}

    private final Settings settings;
    private final Path work;

    AnalyticsBench(Settings settings, Path work) {
        this.settings = settings;
        this.work = work;
    }

    String run() throws Exception {
        Files.createDirectories(work);
        Path dataDir = Files.createTempDirectory(work, "analytics-");
        List<String> lines = new ArrayList<>();
        OtherCpu others = OtherCpu.start();
        try {
            KinoraConfig config = BenchConfig.load(dataDir, Map.of("data.dir", dataDir.toString(), "server.host", "127.0.0.1",
                    "server.port", "0", "worker.concurrency", "0", "ratelimit.play-events-per-minute", "10000000",
                    // The generated events span 90 days: keep them raw while they are rolled up.
                    "analytics.raw-retention-days", "3650"));
            Bench.log("starting Kinora ...");
            try (Kinora kinora = Kinora.start(config, Kinora.Role.SERVER);
                 PostgresDatabase db = PostgresDatabase.connect(kinora.databaseUrl(), "", "", 4)) {
                String base = "http://127.0.0.1:" + kinora.port();
                KinoraClient client = new KinoraClient(URI.create(base));
                client.register("benchowner", "benchowner@example.org", "correct horse battery");
                String token = client.token("benchowner", "correct horse battery");
                String owner = db.withHandle(h -> h.createQuery("SELECT id FROM users WHERE username = 'benchowner'").mapTo(String.class).one());
                List<String> videos = seedVideos(db, owner);
                ingest(base, db, videos, lines);
                query(base, token, db, owner, lines);
            }
        } finally {
            LadderBench.deleteTree(dataDir);
        }
        return String.format(Locale.ROOT, "Analytics benchmark: one node, %d cores, embedded PostgreSQL%n%n", Runtime.getRuntime().availableProcessors())
                + String.join("\n", lines) + "\nMeanwhile " + others.describe() + "\n";
    }

    private List<String> seedVideos(PostgresDatabase db, String owner) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < settings.videos(); i++) ids.add(String.format(Locale.ROOT, "benchvid%014d", i));
        db.useHandle(h -> {
            var b = h.prepareBatch("""
                    INSERT INTO videos (id, owner_id, title, privacy, status, progress, duration_seconds, width, height, created_at, updated_at, published_at)
                    VALUES (:id, :owner, :id, 'public', 'ready', 100, 600, 1280, 720, now() - interval '100 days', now(), now() - interval '100 days')""");
            for (String id : ids) b.bind("id", id).bind("owner", owner).add();
            b.execute();
        });
        return ids;
    }

    private void ingest(String base, PostgresDatabase db, List<String> videos, List<String> lines) throws Exception {
        int perSession = 20;
        long total = (long) settings.sessions() * perSession;
        Bench.log("ingest: %d sessions x %d events over HTTP, %d connections ...", settings.sessions(), perSession, settings.connections());
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicLong errors = new AtomicLong();
        AtomicLong next = new AtomicLong();
        long before = processed(db);
        long t0 = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < settings.connections(); c++) {
                pool.submit(() -> {
                    for (long s; (s = next.getAndIncrement()) < settings.sessions(); ) {
                        String video = videos.get((int) (s % videos.size()));
                        String url = base + "/api/v1/videos/" + video + "/events";
                        for (int k = 0; k < perSession; k++) {
                            // 2 s of video per event, posted back to back: within the 2 s slack of the speed rule, so each session watches 38 s (a view).
                            String body = "{\"type\":\"" + (k == 0 ? "start" : "heartbeat") + "\",\"position_seconds\":" + 2 * k
                                    + ",\"session_id\":\"benchsession" + s + "\",\"source\":\"" + (s % 3 == 0 ? "search" : "home") + "\"}";
                            try {
                                var r = http.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body))
                                        .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.discarding());
                                if (r.statusCode() != 202) errors.incrementAndGet();
                            } catch (Exception e) {
                                errors.incrementAndGet();
                            }
                        }
                    }
                    return null;
                });
            }
        }
        long accepted = System.nanoTime();
        long deadline = accepted + Duration.ofMinutes(10).toNanos();
        while (processed(db) - before < total - errors.get() && System.nanoTime() < deadline) Thread.sleep(100);
        long done = System.nanoTime();
        long in = processed(db) - before;
        long views = db.withHandle(h -> h.createQuery("SELECT coalesce(sum(views), 0) FROM analytics_daily").mapTo(Long.class).one());
        lines.add(String.format(Locale.ROOT, "Ingest: %d play events (%d sessions of %d: start + heartbeats 2 s of video apart), %d connections, %d errors",
                total, settings.sessions(), perSession, settings.connections(), errors.get()));
        lines.add(String.format(Locale.ROOT, "  accepted by the API:       %8.0f events/s (%.1f s)", total / Stats.seconds(t0, accepted), Stats.seconds(t0, accepted)));
        lines.add(String.format(Locale.ROOT, "  in the rollups (end to end): %6.0f events/s (%.1f s; last event in the rollups %.1f s after the last was accepted)",
                in / Stats.seconds(t0, done), Stats.seconds(t0, done), Stats.seconds(accepted, done)));
        lines.add(String.format(Locale.ROOT, "  raw events stored: %d; views counted by analytics: %d (expected %d, one per session)",
                in, views, settings.sessions()));
        lines.add("");
    }

    private static long processed(PostgresDatabase db) {
        return db.withHandle(h -> h.createQuery("SELECT count(*) FROM analytics_raw").mapTo(Long.class).one());
    }

    private void query(String base, String token, PostgresDatabase db, String owner, List<String> lines) throws Exception {
        long sessions = settings.millions() * 100_000L; // 10 events each
        Bench.log("query: generating %d million raw play events over 90 days by SQL ...", settings.millions());
        long t0 = System.nanoTime();
        db.useHandle(h -> h.execute("""
                INSERT INTO analytics_raw (event_id, seq, video_id, viewer_key, kind, position, at, source, domain, device, browser, country)
                SELECT 'gen' || s, k, 'benchvid' || lpad((hashint %% %d)::text, 14, '0'), 's:viewer' || (s %% %d),
                       CASE WHEN k = 0 THEN 'start' ELSE 'heartbeat' END, k * 10,
                       start + make_interval(secs => k * 10),
                       (ARRAY['search','home','subscriptions','related','playlist','embed','external','direct'])[1 + (s %% 8)],
                       CASE WHEN s %% 8 = 5 THEN 'blog' || (s %% 5) || '.example' WHEN s %% 8 = 6 THEN 'news.example' END,
                       (ARRAY['desktop','mobile','tablet','tv'])[1 + (s %% 4)], (ARRAY['chrome','firefox','safari','edge','other'])[1 + (s %% 5)], NULL
                FROM (SELECT s, abs(hashtext(s::text)) AS hashint,
                             date_trunc('second', now() - make_interval(secs => (abs(hashtext('t' || s)) %% (89 * 86400))::double precision) - interval '1 hour') AS start
                      FROM generate_series(1, %d) s) g, generate_series(0, 9) k
                """.formatted(settings.videos(), Math.max(1, sessions / 3), sessions)));
        double generated = Stats.seconds(t0, System.nanoTime());
        long rows = db.withHandle(h -> h.createQuery("SELECT count(*) FROM analytics_raw").mapTo(Long.class).one());
        Bench.log("query: %d raw rows in %.0f s; rolling up day by day ...", rows, generated);
        PgAnalyticsRepository repo = new PgAnalyticsRepository(db);
        Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
        Instant from = today.minus(91, ChronoUnit.DAYS);
        Map<PlaybackFold.Key, PlaybackFold.State> carried = new HashMap<>();
        Map<String, PlaybackFold.Video> facts = repo.videos(db.withHandle(h -> h.createQuery("SELECT id FROM videos").mapTo(String.class).list()));
        long t1 = System.nanoTime();
        long folded = 0;
        for (Instant day = from; !day.isAfter(today); day = day.plus(1, ChronoUnit.DAYS)) {
            List<AnalyticsRepository.Raw> raw = new ArrayList<>();
            repo.replayRaw(day, day.plus(1, ChronoUnit.DAYS), raw::add);
            raw.removeIf(r -> !r.eventId().startsWith("gen"));
            Rollup rollup = new Rollup();
            AnalyticsIngest.fold(raw, facts, carried, rollup);
            db.inTransaction(() -> repo.apply(rollup));
            carried = new HashMap<>(rollup.playbacks);
            folded += raw.size();
        }
        double rolled = Stats.seconds(t1, System.nanoTime());
        db.useHandle(h -> h.execute("VACUUM ANALYZE analytics_daily, analytics_viewers, analytics_dims, analytics_channel_daily, analytics_retention, analytics_channel_dims, analytics_channel_viewers"));
        long dailyRows = db.withHandle(h -> h.createQuery("SELECT count(*) FROM analytics_daily").mapTo(Long.class).one());
        long viewerRows = db.withHandle(h -> h.createQuery("SELECT count(*) FROM analytics_channel_viewers").mapTo(Long.class).one());

        HttpClient http = HttpClient.newHttpClient();
        List<Double> channelMs = new ArrayList<>(), videoMs = new ArrayList<>();
        String body = "";
        for (int i = 0; i < 23; i++) {
            long q0 = System.nanoTime();
            var r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/channels/" + owner + "/analytics?range=90d"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IllegalStateException(r.statusCode() + " " + r.body());
            if (i >= 3) channelMs.add((System.nanoTime() - q0) / 1e6);
            body = r.body();
            long q1 = System.nanoTime();
            var v = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/videos/benchvid00000000000007/analytics?range=90d"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            if (v.statusCode() != 200) throw new IllegalStateException(v.statusCode() + " " + v.body());
            if (i >= 3) videoMs.add((System.nanoTime() - q1) / 1e6);
        }
        var totals = org.kinora.server.http.Json.mapper().readTree(body).get("totals");
        lines.add(String.format(Locale.ROOT, "Query: %,d raw play events (%,d sessions of 10, one channel of %d videos, 90 days) generated by SQL in %.0f s,",
                rows - 0, sessions, settings.videos(), generated));
        lines.add(String.format(Locale.ROOT, "  rolled up by the consumer's fold in %.0f s (%.0f events/s): %,d daily rows, %,d channel viewer-day rows",
                rolled, folded / rolled, dailyRows, viewerRows));
        lines.add(String.format(Locale.ROOT, "  90-day channel report: %s plays, %s views, %s unique viewers, %.0f watch hours",
                totals.get("plays"), totals.get("views"), totals.get("unique_viewers"), totals.get("watch_hours").asDouble()));
        lines.add(String.format(Locale.ROOT, "  GET /api/v1/channels/{id}/analytics?range=90d: median %.0f ms, p90 %.0f ms, max %.0f ms (20 runs after 3 warm-up)",
                Stats.median(channelMs), pct(channelMs, 0.9), channelMs.stream().mapToDouble(d -> d).max().orElse(0)));
        lines.add(String.format(Locale.ROOT, "  GET /api/v1/videos/{id}/analytics?range=90d:   median %.0f ms, p90 %.0f ms, max %.0f ms",
                Stats.median(videoMs), pct(videoMs, 0.9), videoMs.stream().mapToDouble(d -> d).max().orElse(0)));
    }

    private static double pct(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    static Instant day(Instant t) {
        return t.atZone(ZoneOffset.UTC).toLocalDate().atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
