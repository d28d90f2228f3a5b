package org.kinora.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kinora.media.ffmpeg.Ffmpeg;
import org.kinora.server.Kinora;
import org.kinora.server.config.KinoraConfig;

/**
 * Live streaming on this machine, in two parts.
 *
 * <p>{@code ladder}: a 1080p30 source published in real time over RTMP (ffmpeg {@code -re},
 * stream copy of the synthetic source), with the source passed through and every lower rung of
 * the ladder transcoded live; after a warm-up, each rendition's media seconds produced per wall
 * second. A rung keeps up when it makes at least 0.97 s of media per second and was not dropped.
 *
 * <p>{@code viewers}: N simulated low-latency viewers on the pass-through rendition, each doing
 * what hls.js does at the live edge: a blocking playlist reload for the next part
 * ({@code _HLS_msn}/{@code _HLS_part}), then that part. A part's latency for a viewer is from the
 * moment the first viewer's blocking reload announced it to the moment this viewer has its bytes.
 * N doubles until p99 passes 500 ms; the largest N under it is the answer. Client and server share
 * the two cores, so this is a floor.
 */
final class LiveBench {
    record Settings(SyntheticSource source, String preset, int seconds, List<Integer> viewers, List<Integer> ladderRungs) {}

    private static final Pattern HINT = Pattern.compile("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"p(\\d+)\\.(\\d+)\\.m4s\"");
    private static final Pattern EXTINF = Pattern.compile("#EXTINF:([0-9.]+),");
    private static final Pattern PART = Pattern.compile("#EXT-X-PART:DURATION=([0-9.]+),URI=\"p(\\d+)\\.\\d+\\.m4s\"");

    private final Settings settings;
    private final Path work;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    LiveBench(Settings settings, Path work) {
        this.settings = settings;
        this.work = work;
    }

    String run() throws Exception {
        Ffmpeg ffmpeg = Ffmpeg.bundled(work.resolve("tools"));
        Path source = settings.source().generate(ffmpeg, 120, work.resolve("sources"));
        TimeToPlayableBench.quietServerLogs();
        StringBuilder report = new StringBuilder();
        report.append(String.format(Locale.ROOT, "Live: %s 1080p30 source published over RTMP in real time, x264 %s, %d cores%n",
                settings.source().id(), settings.preset(), Runtime.getRuntime().availableProcessors()));
        for (int rungs : settings.ladderRungs()) if (rungs > 0) report.append(ladder(ffmpeg, source, rungs));
        report.append(viewers(ffmpeg, source));
        return report.toString();
    }

    private String ladder(Ffmpeg ffmpeg, Path source, int transcoded) throws Exception {
        try (Server s = new Server(Map.of("live.transcoded-rungs", Integer.toString(transcoded), "live.passthrough-max-kbps", "1000000",
                "live.x264-preset", settings.preset()))) {
            Process publisher = publish(ffmpeg, source, s.rtmp);
            try {
                String live = s.awaitLive();
                List<String> renditions = renditions(s.base + "/live/" + live + "/master.m3u8");
                Bench.log("ladder: renditions %s; warming up 10 s", renditions);
                Thread.sleep(10_000);
                Map<String, Double> start = new java.util.LinkedHashMap<>();
                for (String r : renditions) start.put(r, mediaSeconds(s.base + "/live/" + live + "/" + r + "/index.m3u8"));
                long t0 = System.nanoTime();
                Thread.sleep(settings.seconds() * 1000L);
                double wall = (System.nanoTime() - t0) / 1e9;
                JsonNode me = s.get("/api/v1/me/live");
                List<String> dropped = new ArrayList<>();
                me.path("health").path("dropped_renditions").forEach(n -> dropped.add(n.asText()));
                Table t = new Table("rendition", "media s / wall s", "keeps up");
                for (String r : renditions) {
                    double made = mediaSeconds(s.base + "/live/" + live + "/" + r + "/index.m3u8") - start.get(r);
                    double ratio = made / wall;
                    boolean ok = ratio >= 0.97 && !dropped.contains(r);
                    t.row(r, String.format(Locale.ROOT, "%.2f", ratio), ok ? "yes" : dropped.contains(r) ? "no (dropped)" : "no");
                }
                return String.format(Locale.ROOT, "%nLadder encoded live over %.0f s (source passed through, %d rung(s) below it transcoded):%n%s",
                        wall, transcoded, t.render());
            } finally {
                publisher.destroyForcibly();
            }
        }
    }

    private String viewers(Ffmpeg ffmpeg, Path source) throws Exception {
        try (Server s = new Server(Map.of("live.transcoded-rungs", "0", "live.passthrough-max-kbps", "1000000"))) {
            Process publisher = publish(ffmpeg, source, s.rtmp);
            try {
                String live = s.awaitLive();
                String playlist = s.base + "/live/" + live + "/source/index.m3u8";
                Thread.sleep(5000);
                Table t = new Table("viewers", "parts fetched", "p50 ms", "p99 ms", "max ms", "errors");
                int best = 0;
                for (int n : settings.viewers()) {
                    Result r = viewers(playlist, n, Duration.ofSeconds(15));
                    t.row(Integer.toString(n), Integer.toString(r.latencies.size()), ms(r.percentile(0.50)), ms(r.percentile(0.99)),
                            ms(r.percentile(1.0)), Integer.toString(r.errors));
                    Bench.log("viewers %d: p99 %.0f ms over %d parts, %d errors%s", n, r.percentile(0.99) * 1000, r.latencies.size(), r.errors,
                            r.firstError == null ? "" : " (first: " + r.firstError + ")");
                    if (r.percentile(0.99) < 0.5 && r.errors == 0 && !r.latencies.isEmpty()) best = n;
                    else break;
                }
                return String.format(Locale.ROOT, "%nLow-latency viewers on the pass-through rendition (blocking reload + part, like hls.js):%n%s"
                        + "Largest N with p99 part latency < 500 ms: %d%n", t.render(), best);
            } finally {
                publisher.destroyForcibly();
            }
        }
    }

    private static String ms(double seconds) {
        return String.format(Locale.ROOT, "%.0f", seconds * 1000);
    }

    private record Result(List<Double> latencies, int errors, String firstError) {
        double percentile(double p) {
            if (latencies.isEmpty()) return Double.NaN;
            List<Double> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1 < 0 ? 0 : (int) Math.ceil(p * sorted.size()) - 1));
        }
    }

    private Result viewers(String playlist, int n, Duration length) throws Exception {
        Map<String, Long> announced = new ConcurrentHashMap<>();
        List<Double> latencies = new CopyOnWriteArrayList<>();
        AtomicInteger errors = new AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<String> firstError = new java.util.concurrent.atomic.AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        String base = playlist.substring(0, playlist.lastIndexOf('/') + 1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    String body = client.send(HttpRequest.newBuilder(URI.create(playlist)).build(), HttpResponse.BodyHandlers.ofString()).body();
                    while (!stop.get()) {
                        Matcher h = HINT.matcher(body);
                        if (!h.find()) throw new IllegalStateException("no preload hint");
                        String key = h.group(1) + "." + h.group(2);
                        HttpResponse<String> reload = client.send(HttpRequest.newBuilder(URI.create(playlist + "?_HLS_msn=" + h.group(1)
                                + "&_HLS_part=" + h.group(2))).build(), HttpResponse.BodyHandlers.ofString());
                        if (reload.statusCode() != 200) throw new IllegalStateException("reload " + reload.statusCode());
                        body = reload.body();
                        // The segment may have ended before that part (a keyframe came first): the part never
                        // comes, and the new playlist hints the next one, as hls.js would read it.
                        if (!body.contains("URI=\"p" + key + ".m4s\"")) continue;
                        announced.putIfAbsent(key, System.nanoTime());
                        HttpResponse<byte[]> part = client.send(HttpRequest.newBuilder(URI.create(base + "p" + key + ".m4s")).build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                        if (part.statusCode() != 200) throw new IllegalStateException("part " + part.statusCode());
                        latencies.add((System.nanoTime() - announced.get(key)) / 1e9);
                    }
                } catch (Exception e) {
                    if (!stop.get()) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, e.toString());
                    }
                }
            }));
        }
        Thread.sleep(length.toMillis());
        stop.set(true);
        for (Thread t : threads) t.join(10_000);
        return new Result(List.copyOf(latencies), errors.get(), firstError.get());
    }

    private double mediaSeconds(String playlist) throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create(playlist)).build(), HttpResponse.BodyHandlers.ofString()).body();
        double total = 0;
        Matcher m = EXTINF.matcher(body);
        while (m.find()) total += Double.parseDouble(m.group(1));
        // Plus the parts of the open segment (those after the last EXTINF).
        int last = body.lastIndexOf("#EXTINF");
        Matcher p = PART.matcher(last < 0 ? body : body.substring(last));
        while (p.find()) total += Double.parseDouble(p.group(1));
        return total;
    }

    private List<String> renditions(String master) throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create(master)).build(), HttpResponse.BodyHandlers.ofString()).body();
        List<String> names = new ArrayList<>();
        for (String line : body.split("\n")) if (line.endsWith("/index.m3u8")) names.add(line.substring(0, line.indexOf('/')));
        return names;
    }

    private static Process publish(Ffmpeg ffmpeg, Path source, String url) throws Exception {
        return ffmpeg.processBuilder(List.of("-hide_banner", "-nostdin", "-loglevel", "error", "-re", "-stream_loop", "-1", "-i", source.toString(),
                "-c", "copy", "-f", "flv", url)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** A Kinora with embedded PostgreSQL, a user and its stream key. */
    private final class Server implements AutoCloseable {
        final Path dataDir;
        final Kinora kinora;
        final String base;
        final String token;
        final String rtmp;

        Server(Map<String, String> live) throws Exception {
            Files.createDirectories(work);
            dataDir = Files.createTempDirectory(work, "live-data-");
            Map<String, String> config = new java.util.HashMap<>(Map.of("data.dir", dataDir.toString(), "server.host", "127.0.0.1",
                    "server.port", "0", "live.rtmp-port", "0", "live.rtmp-host", "127.0.0.1"));
            config.putAll(live);
            KinoraConfig c = BenchConfig.load(dataDir, config);
            kinora = Kinora.start(c, Kinora.Role.SERVER);
            base = "http://127.0.0.1:" + kinora.port();
            KinoraClient api = new KinoraClient(URI.create(base));
            String password = UUID.randomUUID().toString();
            api.register("bench", "bench@example.org", password);
            token = api.token("bench", password);
            JsonNode me = get("/api/v1/me/live");
            rtmp = me.get("server_url").asText() + "/" + me.get("stream_key").asText();
        }

        JsonNode get(String path) throws Exception {
            return json.readTree(http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
        }

        String awaitLive() throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                JsonNode items = get("/api/v1/lives").get("items");
                if (!items.isEmpty()) return items.get(0).get("id").asText();
                Thread.sleep(250);
            }
            throw new IllegalStateException("the live did not start within 60 s");
        }

        @Override
        public void close() throws Exception {
            kinora.close();
            LadderBench.deleteTree(dataDir);
        }
    }
}
