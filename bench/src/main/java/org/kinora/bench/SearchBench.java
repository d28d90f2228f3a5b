package org.kinora.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.kinora.adapters.opensearch.OpenSearchEngine;
import org.kinora.adapters.postgres.PgSearchDocuments;
import org.kinora.adapters.postgres.PostgresDatabase;
import org.kinora.core.common.Clock;
import org.kinora.core.search.SearchIndexer;
import org.kinora.server.EmbeddedOpenSearch;
import org.kinora.server.Kinora;
import org.kinora.server.config.KinoraConfig;
import org.slf4j.LoggerFactory;

/**
 * Search throughput and latency: a real Kinora per engine (embedded PostgreSQL; for OpenSearch
 * also a real node in this JVM), N synthetic public videos inserted straight into the database
 * (and, for OpenSearch, indexed by the same rebuild as {@code kinora search reindex}), then C
 * client threads on one HTTP/1.1 client send {@code GET /api/v1/search} (and then
 * {@code /api/v1/search/suggest}) back to back for the measured window after a warm-up. Client,
 * server, PostgreSQL and OpenSearch share this machine's cores, as they would on one small host.
 */
final class SearchBench {
    record Settings(int videos, int connections, int seconds, List<String> engines) {}

    private static final String[] TOPICS = {"guitar", "piano", "drums", "violin", "bread", "pasta", "curry", "sushi", "coffee",
            "java", "python", "rust", "sql", "linux", "docker", "kubernetes", "yoga", "running", "cycling", "swimming", "chess",
            "poker", "garden", "tomato", "roses", "compost", "camera", "drone", "lens", "telescope", "saturn", "mars", "moon",
            "japan", "tokyo", "iceland", "rome", "paris", "peru", "kayak", "climbing", "skiing", "surfing", "knitting",
            "pottery", "woodworking", "welding", "plumbing", "painting", "drawing", "calculus", "algebra", "physics",
            "chemistry", "biology", "history", "economics", "investing", "budget", "startup", "marketing", "minecraft",
            "zelda", "mario", "speedrun", "pixel", "animation", "blender", "photoshop", "excel", "typing", "spanish",
            "french", "german", "podcast", "interview", "review", "unboxing", "repair", "restoration"};
    private static final String[] MODIFIERS = {"Beginner", "Advanced", "Quick", "Complete", "Easy", "Ultimate", "Simple",
            "Professional", "Cheap", "Fast", "Modern", "Classic", "Home", "Weekend", "Daily", "Honest", "Live", "Epic"};
    private static final String[] FORMS = {"Tutorial", "Guide", "Tips", "Lesson", "Review", "Challenge", "Basics",
            "Masterclass", "Explained", "Vlog", "Mistakes", "Secrets", "Setup", "Workout", "Recipe", "Build", "Tour", "Q&A"};

    private final Settings settings;
    private final Path work;

    SearchBench(Settings settings, Path work) {
        this.settings = settings;
        this.work = work;
    }

    record Result(String engine, String endpoint, long requests, long errors, double seconds, double p50, double p90, double p99,
                  double max) {}

    String run() throws Exception {
        quietLogs();
        Files.createDirectories(work);
        List<Result> results = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        OtherCpu others = OtherCpu.start();
        for (String engine : settings.engines()) runEngine(engine, results, notes);
        Table table = new Table("engine", "endpoint", "requests", "errors", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms");
        for (Result r : results) {
            table.row(r.engine(), r.endpoint(), Long.toString(r.requests()), Long.toString(r.errors()),
                    String.format(Locale.ROOT, "%.0f", r.requests() / r.seconds()), ms(r.p50()), ms(r.p90()), ms(r.p99()), ms(r.max()));
        }
        return String.format(Locale.ROOT, "Search benchmark: %d public videos, %d connections, %d s measured after a 5 s warm-up, %d cores%n%n",
                settings.videos(), settings.connections(), settings.seconds(), Runtime.getRuntime().availableProcessors())
                + table.render() + "\n" + String.join("\n", notes) + "\n" + "Meanwhile " + others.describe() + "\n";
    }

    private void runEngine(String engine, List<Result> results, List<String> notes) throws Exception {
        Path dataDir = Files.createTempDirectory(work, "search-" + engine + "-");
        EmbeddedOpenSearch node = null;
        try {
            Map<String, String> overrides = new java.util.HashMap<>(Map.of(
                    "data.dir", dataDir.toString(), "server.host", "127.0.0.1", "server.port", "0",
                    "worker.concurrency", "0", "search.engine", engine));
            if (engine.equals("opensearch")) {
                Bench.log("starting an OpenSearch node ...");
                node = new EmbeddedOpenSearch(dataDir.resolve("opensearch"));
                overrides.put("search.opensearch.url", node.url);
            }
            KinoraConfig config = BenchConfig.load(dataDir, overrides);
            Bench.log("starting Kinora with search.engine=%s ...", engine);
            try (Kinora kinora = Kinora.start(config, Kinora.Role.SERVER);
                 PostgresDatabase db = PostgresDatabase.connect(kinora.databaseUrl(), "", "", 4)) {
                long t0 = System.nanoTime();
                List<String> vocabulary = seed(db);
                notes.add(String.format(Locale.ROOT, "%s: inserted %d videos in %.1f s", engine, settings.videos(), (System.nanoTime() - t0) / 1e9));
                if (engine.equals("opensearch")) {
                    long t1 = System.nanoTime();
                    try (OpenSearchEngine os = new OpenSearchEngine(node.url, config.search().openSearchIndex(), Clock.system())) {
                        long n = new SearchIndexer(os, new PgSearchDocuments(db)).rebuildAll();
                        notes.add(String.format(Locale.ROOT, "opensearch: full reindex of %d videos took %.1f s", n, (System.nanoTime() - t1) / 1e9));
                    }
                }
                db.useHandle(h -> h.execute("ANALYZE videos"));
                String base = "http://127.0.0.1:" + kinora.port();
                List<String> searches = searchUrls(base, vocabulary);
                List<String> suggests = suggestUrls(base, vocabulary);
                results.add(load(engine, "search", searches));
                results.add(load(engine, "suggest", suggests));
            }
        } finally {
            if (node != null) node.close();
            LadderBench.deleteTree(dataDir);
        }
    }

    /** Inserts the users and videos; returns the topic words, for queries. */
    private List<String> seed(PostgresDatabase db) {
        Random random = new Random(42);
        List<String> owners = new ArrayList<>();
        db.useHandle(h -> {
            for (int i = 0; i < 50; i++) {
                String id = "benchuser" + String.format(Locale.ROOT, "%013d", i);
                owners.add(id);
                h.createUpdate("INSERT INTO users (id, username, email, password_hash, created_at) VALUES (:id, :u, :e, 'x', now())")
                        .bind("id", id).bind("u", "channel" + i + TOPICS[i % TOPICS.length]).bind("e", "c" + i + "@example.org").execute();
            }
        });
        int batch = 1000;
        for (int start = 0; start < settings.videos(); start += batch) {
            int from = start;
            db.useHandle(h -> {
                var b = h.prepareBatch("""
                        INSERT INTO videos (id, owner_id, title, description, privacy, status, progress, duration_seconds, width, height,
                                            created_at, updated_at, published_at, tags)
                        VALUES (:id, :owner, :title, :description, 'public', 'ready', 100, :duration, 1280, 720,
                                now(), now(), now() - make_interval(secs => :age), :tags)""");
                for (int i = from; i < Math.min(from + batch, settings.videos()); i++) {
                    String a = zipf(random), c = zipf(random);
                    String title = MODIFIERS[random.nextInt(MODIFIERS.length)] + " " + cap(a) + " " + (random.nextBoolean() ? cap(c) + " " : "")
                            + FORMS[random.nextInt(FORMS.length)];
                    String description = "In this video: " + a + ", " + zipf(random) + " and " + zipf(random)
                            + ". Everything you need to know about " + c + " in one place.";
                    b.bind("id", String.format(Locale.ROOT, "v%010d", i)).bind("owner", owners.get(random.nextInt(owners.size())))
                            .bind("title", title).bind("description", description)
                            .bind("duration", 30 + random.nextInt(3600)).bind("age", random.nextDouble() * 365 * 86400)
                            .bindArray("tags", String.class, List.of(a, c, zipf(random))).add();
                }
                b.execute();
            });
        }
        db.useHandle(h -> h.execute("""
                INSERT INTO video_stats (video_id, view_count) SELECT id, (random() * 100000)::bigint FROM videos
                ON CONFLICT (video_id) DO UPDATE SET view_count = excluded.view_count"""));
        // A week of daily views on one video in twenty, for trending.
        db.useHandle(h -> h.execute("""
                INSERT INTO video_daily_stats (video_id, day, views)
                SELECT v.id, (now() AT TIME ZONE 'UTC')::date - d, (random() * 500)::bigint
                FROM videos v, generate_series(0, 6) d WHERE hashtext(v.id) % 20 = 0
                ON CONFLICT DO NOTHING"""));
        return Arrays.asList(TOPICS);
    }

    /** Topic words with a Zipf-like skew: a few are common, most are rare, as in real catalogues. */
    private static String zipf(Random random) {
        double u = random.nextDouble();
        int i = (int) Math.floor(Math.pow(TOPICS.length, u)) - 1;
        return TOPICS[Math.max(0, Math.min(TOPICS.length - 1, i))];
    }

    private static String cap(String w) {
        return Character.toUpperCase(w.charAt(0)) + w.substring(1);
    }

    private static List<String> searchUrls(String base, List<String> words) {
        Random random = new Random(7);
        String[] sorts = {"", "", "", "", "", "", "&sort=newest", "&sort=views"};
        String[] filters = {"", "", "", "", "", "&duration=short", "&duration=long", "&uploaded=month", "&uploaded=year"};
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            int n = 1 + random.nextInt(3);
            StringBuilder q = new StringBuilder();
            for (int k = 0; k < n; k++) q.append(k == 0 ? "" : " ").append(words.get(random.nextInt(words.size())));
            String text = q.toString();
            if (random.nextInt(5) == 0) text = text.substring(0, Math.max(3, text.length() - 3)); // still typing
            urls.add(base + "/api/v1/search?q=" + URLEncoder.encode(text, StandardCharsets.UTF_8) + "&limit=20"
                    + sorts[random.nextInt(sorts.length)] + filters[random.nextInt(filters.length)]);
        }
        return urls;
    }

    private static List<String> suggestUrls(String base, List<String> words) {
        Random random = new Random(11);
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            String w = words.get(random.nextInt(words.size()));
            urls.add(base + "/api/v1/search/suggest?q=" + URLEncoder.encode(w.substring(0, Math.min(w.length(), 2 + random.nextInt(4))),
                    StandardCharsets.UTF_8));
        }
        return urls;
    }

    private Result load(String engine, String endpoint, List<String> urls) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        Bench.log("%s %s: warming up 5 s, then measuring %d s with %d connections", engine, endpoint, settings.seconds(), settings.connections());
        phase(client, urls, Duration.ofSeconds(5), false);
        long started = System.nanoTime();
        Phase p = phase(client, urls, Duration.ofSeconds(settings.seconds()), true);
        double seconds = (System.nanoTime() - started) / 1e9;
        long[] all = p.latencies;
        Arrays.sort(all);
        return new Result(engine, endpoint, all.length, p.errors, seconds, pct(all, 50), pct(all, 90), pct(all, 99),
                all.length == 0 ? 0 : all[all.length - 1] / 1e6);
    }

    private record Phase(long[] latencies, long errors) {}

    private Phase phase(HttpClient client, List<String> urls, Duration length, boolean record) throws InterruptedException {
        Instant end = Instant.now().plus(length);
        AtomicLong errors = new AtomicLong();
        long[][] perThread = new long[settings.connections()][];
        Thread[] threads = new Thread[settings.connections()];
        for (int t = 0; t < threads.length; t++) {
            int id = t;
            threads[t] = Thread.ofPlatform().name("bench-client-" + t).start(() -> {
                long[] lat = new long[1 << 14];
                int n = 0;
                int i = id * 37;
                while (Instant.now().isBefore(end)) {
                    HttpRequest request = HttpRequest.newBuilder(URI.create(urls.get(i++ % urls.size()))).build();
                    long s = System.nanoTime();
                    try {
                        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200) errors.incrementAndGet();
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    if (n == lat.length) lat = Arrays.copyOf(lat, n * 2);
                    lat[n++] = System.nanoTime() - s;
                }
                perThread[id] = Arrays.copyOf(lat, n);
            });
        }
        for (Thread t : threads) t.join();
        if (!record) return new Phase(new long[0], errors.get());
        return new Phase(Arrays.stream(perThread).flatMapToLong(Arrays::stream).toArray(), errors.get());
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) return 0;
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static void quietLogs() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
            logback.getLogger("org.kinora").setLevel(Level.WARN);
            logback.getLogger("org.opensearch").setLevel(Level.WARN);
            logback.getLogger("io.zonky").setLevel(Level.WARN);
            logback.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
            logback.getLogger("io.javalin").setLevel(Level.WARN);
        }
    }
}
