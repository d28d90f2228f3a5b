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
import java.util.function.Supplier;
import org.kinora.core.common.Ids;
import org.kinora.server.Kinora;
import org.kinora.server.auth.Secrets;
import org.kinora.server.config.KinoraConfig;
import org.kinora.server.playback.PlaybackTokens;
import org.slf4j.LoggerFactory;

/**
 * Kinora's media origin against Debian's nginx serving the same segment files from disk, side by
 * side in one run, then simulated viewers through the origin alone and through the shipped
 * two-tier nginx CDN (deploy/nginx/cdn).
 *
 * <ol>
 *   <li>Closed loop: N keep-alive connections, each sending its next request when the previous
 *       answer is in, on a ~1.4 MB (720p-sized) and a ~180 KB (240p-sized) segment; nginx and
 *       Kinora's two listeners (the media port, {@code delivery.media-port}, and the main port)
 *       alternate (the order reverses every round), so all see the same machine.</li>
 *   <li>V viewers for M minutes (see {@link OriginLoad}: playlists, init, a start-up burst, then a
 *       segment per 4 s, several videos with half the viewers on the same one, a new session
 *       with a new token every 5-40 segments) through the media port alone, then through edge and
 *       shield (whose upstream is the main port, as the shipped config has it).</li>
 * </ol>
 * The load generator is a JVM of its own ({@link OriginLoad}), so its CPU is reported apart, beside
 * the server's (Kinora's JVM plus its embedded PostgreSQL, or nginx's processes) and the load average.
 */
final class OriginBench {
    /** {@code segmentSeconds}: playback pace, Kinora's segment length. */
    record Settings(int connections, int seconds, int rounds, int videos, int viewers, int viewerSeconds, int segmentSeconds) {}

    private record Result(String what, long requests, long errors, double seconds, double p50, double p99, double max,
                          double clientCpu, double serverCpu, double serverSys, long segmentRequests, double segmentP99, String load) {
        double rate() {
            return requests / seconds;
        }
    }

    private static final String SECRET = "bench-secret-bench-secret-bench-secret-1";
    private static final int SEGMENTS_PER_RUNG = 12;
    private static final String NGINX = "nginx";
    private static final String MEDIA_PORT = "Kinora media port";
    private static final String MAIN_PORT = "Kinora main port";

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
        int mediaPort;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            mediaPort = free.getLocalPort();
        }
        // Both of Kinora's listeners are measured: the main one (Jetty) and the media port (Netty, sendfile).
        KinoraConfig config = BenchConfig.load(dataDir, Map.of("data.dir", dataDir.toString(), "server.host", "127.0.0.1",
                "server.port", "0", "worker.concurrency", "0", "auth.secret", SECRET, "delivery.media-port", String.valueOf(mediaPort)));
        List<Result> closed = new ArrayList<>();
        List<Result> viewers = new ArrayList<>();
        String cpu;
        long originRequests;
        try (Kinora kinora = Kinora.start(config, Kinora.Role.SERVER)) {
            int port = kinora.port();
            HttpClient setup = HttpClient.newHttpClient();
            String ownerId = ownerId(setup, URI.create("http://127.0.0.1:" + port));
            List<String> videos = new ArrayList<>();
            Random random = new Random(17);
            StringBuilder plan = new StringBuilder();
            for (int v = 0; v < settings.videos(); v++) {
                String video = seedVideo(kinora.databaseUrl(), ownerId);
                storeMedia(kinora, video, random);
                videos.add(video);
                plan.append(video).append(' ').append(SEGMENTS_PER_RUNG).append('\n');
            }
            Path planFile = Files.writeString(dataDir.resolve("plan.txt"), plan);
            byte[] key = Secrets.load(Optional.of(SECRET), dataDir.resolve("secrets")).derive(PlaybackTokens.KEY_PURPOSE);
            Path keyFile = Files.writeString(dataDir.resolve("playback.key"), java.util.Base64.getEncoder().encodeToString(key));
            PlaybackTokens tokens = new PlaybackTokens(key, Duration.ofHours(2), Instant::now);
            String video = videos.getFirst();
            String token = tokens.issue(video, null);
            try (Nginx nginx = Nginx.start(dataDir.resolve("nginx"), config.blobDir())) {
                OtherCpu others = OtherCpu.start();
                // nginx is compiled ahead of time; Kinora's JIT is not. A production origin runs warm, so the JIT gets its
                // time first (the C2 compiler threads used as much CPU as the request threads in the first seconds).
                for (String segment : List.of("720p/seg_00001.m4s", "240p/seg_00001.m4s")) {
                    for (int listener : List.of(port, mediaPort)) {
                        Bench.log("Kinora %s on port %d: JIT warm-up, %d s (not counted) ...", segment, listener, settings.seconds());
                        load("warm-up", OriginBench::kinoraCpuMillis, "closed", String.valueOf(listener), "/media/" + token + "/" + video + "/" + segment,
                                String.valueOf(settings.connections()), "0", String.valueOf(settings.seconds()));
                    }
                }
                for (String segment : List.of("720p/seg_00001.m4s", "240p/seg_00001.m4s")) {
                    String origin = "/media/" + token + "/" + video + "/" + segment;
                    String plain = "/videos/" + video + "/" + segment;
                    for (int round = 0; round < settings.rounds(); round++) {
                        List<String> order = round % 2 == 0 ? List.of(NGINX, MEDIA_PORT, MAIN_PORT) : List.of(MAIN_PORT, MEDIA_PORT, NGINX);
                        for (String target : order) {
                            boolean isNginx = target.equals(NGINX);
                            String what = target + " " + segment;
                            Bench.log("%s: %d connections, 3 s warm-up + %d s ...", what, settings.connections(), settings.seconds());
                            Supplier<long[]> serverCpu = isNginx ? () -> treeCpuMillis(nginx.process.toHandle()) : OriginBench::kinoraCpuMillis;
                            int targetPort = isNginx ? nginx.port : target.equals(MEDIA_PORT) ? mediaPort : port;
                            closed.add(load(what, serverCpu, "closed", String.valueOf(targetPort), isNginx ? plain : origin,
                                    String.valueOf(settings.connections()), "3", String.valueOf(settings.seconds())));
                        }
                    }
                }
                String viewerArgs = String.valueOf(settings.viewers());
                Bench.log("%d viewers of %d videos for %d s through the origin's media port ...", settings.viewers(), settings.videos(), settings.viewerSeconds());
                viewers.add(load(settings.viewers() + " viewers, media port alone", OriginBench::kinoraCpuMillis, "viewers", String.valueOf(mediaPort),
                        keyFile.toString(), planFile.toString(), viewerArgs, String.valueOf(settings.viewerSeconds()),
                        String.valueOf(settings.segmentSeconds())));
                try (CdnTier shield = CdnTier.start("shield", dataDir.resolve("cdn"), port, keyFile);
                     CdnTier edge = CdnTier.start("edge", dataDir.resolve("cdn"), shield.port, keyFile)) {
                    Bench.log("%d viewers of %d videos for %d s through edge and shield ...", settings.viewers(), settings.videos(), settings.viewerSeconds());
                    viewers.add(load(settings.viewers() + " viewers, edge+shield", () -> add(add(treeCpuMillis(edge.process.toHandle()),
                                    treeCpuMillis(shield.process.toHandle())), kinoraCpuMillis()), "viewers", String.valueOf(edge.port),
                            keyFile.toString(), planFile.toString(), viewerArgs, String.valueOf(settings.viewerSeconds()),
                            String.valueOf(settings.segmentSeconds())));
                    originRequests = shield.originRequests();
                }
                cpu = "Over the whole run " + others.describe() + " (nginx and the load generator count as other processes here).\n";
            }
        }
        return report(closed, viewers, originRequests, cpu);
    }

    /** One load generator run in a JVM of its own; {@code serverCpu} is sampled before and after. */
    private Result load(String what, Supplier<long[]> serverCpu, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), OriginLoad.class.getName()));
        command.addAll(List.of(args));
        String loadBefore = loadAverage();
        long[] server0 = serverCpu.get();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String result = null;
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.startsWith("RESULT ")) result = line;
                else Bench.log("  load generator: %s", line);
            }
        }
        int exit = p.waitFor();
        long[] server1 = serverCpu.get();
        if (result == null || exit != 0) throw new IllegalStateException("the load generator failed (exit " + exit + ") for " + what);
        String[] f = result.split(" ");
        double seconds = Double.parseDouble(f[3]);
        Result r = new Result(what, Long.parseLong(f[1]), Long.parseLong(f[2]), seconds, Double.parseDouble(f[4]),
                Double.parseDouble(f[5]), Double.parseDouble(f[6]), Double.parseDouble(f[7]), (server1[0] - server0[0] + server1[1] - server0[1]) / 1000.0,
                (server1[1] - server0[1]) / 1000.0,
                Long.parseLong(f[8]), Double.parseDouble(f[9]), loadBefore + " / " + loadAverage());
        Bench.log("  %s: %.0f req/s, p99 %.1f ms, %d errors, load %s", what, r.rate(), r.p99(), r.errors(), r.load());
        return r;
    }

    private void storeMedia(Kinora kinora, String video, Random random) throws IOException {
        String prefix = "videos/" + video + "/";
        kinora.blobs().put(prefix + "master.m3u8", """
                #EXTM3U
                #EXT-X-VERSION:7
                #EXT-X-INDEPENDENT-SEGMENTS
                #EXT-X-STREAM-INF:BANDWIDTH=360000,RESOLUTION=426x240,CODECS="avc1.42c015,mp4a.40.2"
                240p/index.m3u8
                #EXT-X-STREAM-INF:BANDWIDTH=2800000,RESOLUTION=1280x720,CODECS="avc1.64001f,mp4a.40.2"
                720p/index.m3u8
                """.getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/vnd.apple.mpegurl");
        for (var rung : Map.of("720p", 1_400_000, "240p", 180_000).entrySet()) {
            StringBuilder playlist = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:4\n#EXT-X-PLAYLIST-TYPE:VOD\n"
                    + "#EXT-X-MAP:URI=\"init.mp4\"\n");
            byte[] init = new byte[900];
            random.nextBytes(init);
            kinora.blobs().put(prefix + rung.getKey() + "/init.mp4", init, "video/mp4");
            for (int i = 1; i <= SEGMENTS_PER_RUNG; i++) {
                byte[] bytes = new byte[rung.getValue() + random.nextInt(rung.getValue() / 10)];
                random.nextBytes(bytes);
                String name = String.format(Locale.ROOT, "seg_%05d.m4s", i);
                kinora.blobs().put(prefix + rung.getKey() + "/" + name, bytes, "video/iso.segment");
                playlist.append("#EXTINF:4.000,\n").append(name).append('\n');
            }
            playlist.append("#EXT-X-ENDLIST\n");
            kinora.blobs().put(prefix + rung.getKey() + "/index.m3u8", playlist.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    "application/vnd.apple.mpegurl");
        }
    }

    private String report(List<Result> closed, List<Result> viewers, long originRequests, String cpu) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "Media origin vs nginx on the same file: %d keep-alive connections, %d s "
                + "per run after 3 s warm-up, %d round(s) alternating, loopback, %d cores%n", settings.connections(), settings.seconds(),
                settings.rounds(), Runtime.getRuntime().availableProcessors()));
        String head = String.format(Locale.ROOT, "%-34s %8s %8s %8s %8s %7s %13s %8s %12s  %s%n", "target", "req/s", "p50 ms", "p99 ms",
                "max ms", "errors", "server ms/req", "(kernel)", "client CPU %", "load avg before / after");
        b.append(head);
        for (Result r : closed) row(b, r);
        for (String segment : List.of("720p/seg_00001.m4s", "240p/seg_00001.m4s")) {
            List<Result> n = closed.stream().filter(r -> r.what().equals("nginx " + segment)).toList();
            for (String listener : List.of(MEDIA_PORT, MAIN_PORT)) {
                List<Double> ratios = new ArrayList<>();
                List<Result> k = closed.stream().filter(r -> r.what().equals(listener + " " + segment)).toList();
                for (int i = 0; i < Math.min(n.size(), k.size()); i++) ratios.add(k.get(i).rate() / n.get(i).rate());
                b.append(String.format(Locale.ROOT, "%s/nginx req/s, %s: %s%n", listener, segment,
                        String.join(" / ", ratios.stream().map(x -> String.format(Locale.ROOT, "%.2fx", x)).toList())));
            }
        }
        b.append(String.format(Locale.ROOT, "%nViewers: %d videos (half the viewers on the first), playlists + init + segments, a segment per %d s "
                + "after a start-up burst, for %d s%n", settings.videos(), settings.segmentSeconds(), settings.viewerSeconds()));
        b.append(String.format(Locale.ROOT, "%-34s %8s %8s %8s %8s %7s %10s %12s %12s  %s%n", "run", "req/s", "p50 ms", "p99 ms", "max ms",
                "errors", "segments", "segment p99", "client CPU %", "load avg before / after"));
        for (Result r : viewers) {
            b.append(String.format(Locale.ROOT, "%-34s %8.0f %8.1f %8.1f %8.1f %7d %10d %12.1f %12.0f  %s%n", r.what(), r.rate(), r.p50(), r.p99(),
                    r.max(), r.errors(), r.segmentRequests(), r.segmentP99(), 100 * r.clientCpu() / r.seconds(), r.load()));
        }
        b.append("Requests the shield sent to the origin during the edge run: ").append(originRequests).append('\n');
        return b.append(cpu).toString();
    }

    private static void row(StringBuilder b, Result r) {
        b.append(String.format(Locale.ROOT, "%-34s %8.0f %8.1f %8.1f %8.1f %7d %13.3f %7.0f%% %12.0f  %s%n", r.what(), r.rate(), r.p50(), r.p99(),
                r.max(), r.errors(), 1000 * r.serverCpu() / Math.max(1, r.requests()), 100 * r.serverSys() / Math.max(0.001, r.serverCpu()),
                100 * r.clientCpu() / r.seconds(), r.load()));
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    /** CPU milliseconds (user, system) of this JVM (Kinora) and of its embedded PostgreSQL processes. */
    private static long[] kinoraCpuMillis() {
        long[] sum = procCpuMillis(ProcessHandle.current());
        ProcessHandle.current().descendants().filter(h -> h.info().command().orElse("").contains("postgres"))
                .forEach(h -> add(sum, procCpuMillis(h)));
        return sum;
    }

    /** CPU milliseconds (user, system) of a process and its descendants (nginx master and workers). */
    private static long[] treeCpuMillis(ProcessHandle root) {
        long[] sum = procCpuMillis(root);
        root.descendants().forEach(h -> add(sum, procCpuMillis(h)));
        return sum;
    }

    private static long[] add(long[] sum, long[] more) {
        sum[0] += more[0];
        sum[1] += more[1];
        return sum;
    }

    /** utime and stime from /proc (ProcessHandle.Info has no split and not always the figures). */
    private static long[] procCpuMillis(ProcessHandle h) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(h.pid()), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(f[11]) * 10, Long.parseLong(f[12]) * 10}; // USER_HZ = 100
        } catch (IOException | RuntimeException gone) {
            return new long[2];
        }
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
        final Process process;

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
        final Process process;

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
