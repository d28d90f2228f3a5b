package org.kinora.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One CDN tier (edge or shield): Debian's nginx running the shipped deploy/nginx/cdn config,
 * rendered with this test's ports and directories, in front of {@code upstreamPort}.
 */
final class NginxTier implements AutoCloseable {
    static final Path CDN_DIR = Path.of("..", "deploy", "nginx", "cdn").toAbsolutePath().normalize();

    /** One line of the tier's access log (log_format kinora). */
    record LogLine(String tier, int status, String cacheStatus, String upstream, String uri, String requestUri) {
        boolean reachedUpstream() { return !upstream.equals("-"); }

        boolean isObject() { return uri.startsWith("/_kinora/object/"); }
    }

    final String tier;
    final int port;
    final Path runDir;
    private final Process process;

    private NginxTier(String tier, int port, Path runDir, Process process) {
        this.tier = tier;
        this.port = port;
        this.runDir = runDir;
        this.process = process;
    }

    static Path nginx() {
        Path nginx = Path.of(System.getenv().getOrDefault("KINORA_NGINX", "/usr/sbin/nginx"));
        if (!Files.isExecutable(nginx) || !Files.exists(Path.of("/usr/lib/nginx/modules/ngx_http_js_module.so"))) {
            throw new IllegalStateException("nginx with its njs module is not installed (" + nginx + "). Run the tests with "
                    + "./kinora test (scripts/ensure-test-packages installs nginx and libnginx-mod-http-js), or set KINORA_NGINX.");
        }
        return nginx;
    }

    static NginxTier start(String tier, Path dir, int upstreamPort, Path keyFile) throws Exception {
        // The edge believes the test's own header for the viewer's country (in production: a GeoIP
        // module's variable or a trusted front's header); the shield believes its edge.
        return start(tier, dir, upstreamPort, keyFile, tier.equals("edge") ? "$http_x_test_country" : "$http_x_kinora_country");
    }

    static NginxTier start(String tier, Path dir, int upstreamPort, Path keyFile, String countryVariable) throws Exception {
        Path runDir = Files.createDirectories(dir.resolve(tier));
        Path cacheDir = Files.createDirectories(dir.resolve(tier + "-cache"));
        int port = freePort();
        String template = Files.readString(CDN_DIR.resolve("kinora-cdn.conf.template"));
        Map<String, String> values = Map.of(
                "TIER", tier,
                "LISTEN", "127.0.0.1:" + port,
                "UPSTREAM", "127.0.0.1:" + upstreamPort,
                "CACHE_DIR", cacheDir.toString(),
                "CACHE_MAX_SIZE", "1g",
                "RUN_DIR", runDir.toString(),
                "KEY_FILE", keyFile.toString(),
                "NJS_DIR", CDN_DIR.toString(),
                "NGINX_USER", System.getProperty("user.name"),
                "COUNTRY", countryVariable);
        String conf = template;
        for (var e : values.entrySet()) conf = conf.replace("${" + e.getKey() + "}", e.getValue());
        if (conf.matches("(?s).*\\$\\{[A-Z_]+}.*")) throw new IllegalStateException("unrendered variable left in the template");
        Path confFile = runDir.resolve("nginx.conf");
        Files.writeString(confFile, conf);
        Process p = new ProcessBuilder(nginx().toString(), "-c", confFile.toString(), "-e", runDir.resolve("startup.log").toString(),
                "-g", "daemon off;").redirectErrorStream(true).redirectOutput(runDir.resolve("stdout.log").toFile()).start();
        NginxTier t = new NginxTier(tier, port, runDir, p);
        Instant deadline = Instant.now().plusSeconds(15);
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return t;
            } catch (IOException notYet) {
                if (!p.isAlive() || Instant.now().isAfter(deadline)) {
                    t.close();
                    throw new IllegalStateException("nginx " + tier + " did not start: " + Files.readString(runDir.resolve("stdout.log"))
                            + readIfExists(runDir.resolve("error.log")) + readIfExists(runDir.resolve("startup.log")));
                }
                Thread.sleep(50);
            }
        }
    }

    String base() { return "http://127.0.0.1:" + port; }

    List<LogLine> log() throws IOException {
        List<LogLine> lines = new ArrayList<>();
        Path file = runDir.resolve("access.log");
        if (!Files.exists(file)) return lines;
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            // $msec tier status cache "upstream" "uri" "request_uri" time
            String[] f = l.split(" ");
            lines.add(new LogLine(f[1], Integer.parseInt(f[2]), f[3], unquote(f[4]), unquote(f[5]), unquote(f[6])));
        }
        return lines;
    }

    String errors() throws IOException {
        return readIfExists(runDir.resolve("error.log"));
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    private static String readIfExists(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p) : "";
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy(); // SIGTERM: nginx's fast shutdown
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
