package org.kinora.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.kinora.server.engines.Loopback;

/**
 * One {@code kinora api|worker|server} in a JVM of its own, as an operator would run it: the
 * configuration goes in as environment variables ({@code KINORA_*}), the log goes to
 * {@code target/cluster/<name>.log}. For tests of several processes sharing engines.
 */
final class KinoraNode implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final String name;
    final String role;
    final int port;
    final Path log;
    private final Process process;

    private KinoraNode(String name, String role, int port, Path log, Process process) {
        this.name = name;
        this.role = role;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /** Starts the process; {@code config} holds config keys ({@code worker.concurrency}), turned into env variables. */
    static KinoraNode start(String name, String role, Path dataDir, Map<String, String> config) throws IOException {
        int port = role.equals("worker") ? 0 : Loopback.freePort();
        Path log = Path.of("target", "cluster", name + ".log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "-Duser.home=" + System.getProperty("user.home"),
                "org.kinora.server.cli.Main", role, "--data-dir", dataDir.toString()));
        if (port != 0) command.addAll(List.of("--port", Integer.toString(port)));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put(envName("live.rtmp-port"), "0"); // several nodes on one machine: each its own free RTMP port
        config.forEach((key, value) -> pb.environment().put(envName(key), value));
        return new KinoraNode(name, role, port, log, pb.start());
    }

    static String envName(String key) {
        return "KINORA_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    String base() {
        if (port == 0) throw new IllegalStateException(name + " serves no HTTP");
        return "http://127.0.0.1:" + port;
    }

    long pid() { return process.pid(); }

    boolean isAlive() { return process.isAlive(); }

    /** Waits until an API node answers /health/ready, or a worker logs that it started. */
    KinoraNode awaitReady(Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) throw new AssertionError(name + " exited with " + process.exitValue() + "; log:\n" + logText());
            if (port != 0) {
                try {
                    var r = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/health/ready")).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() == 200) return this;
                } catch (IOException notYet) {
                    // still starting
                }
            } else if (logText().contains(" started: ")) {
                return this;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(name + " not ready within " + timeout + "; log:\n" + logText());
    }

    String logText() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** SIGKILL: no shutdown hook, no goodbye; what a crash or the OOM killer does. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(java.util.concurrent.TimeUnit.SECONDS.toMillis(10), java.util.concurrent.TimeUnit.MILLISECONDS)) kill();
    }
}
