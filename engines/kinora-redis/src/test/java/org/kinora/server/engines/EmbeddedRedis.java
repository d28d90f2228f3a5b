package org.kinora.server.engines;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Redis server (Debian's redis-server, installed by {@code scripts/ensure-test-packages}) started
 * for a test: bound to 127.0.0.1 on a free port, working directory in a temp dir, no persistence
 * (no RDB snapshots, no AOF). {@link #close()} kills it and deletes the directory.
 *
 * <pre>
 * try (EmbeddedRedis redis = EmbeddedRedis.start()) {
 *     String url = redis.url(); // redis://127.0.0.1:PORT, for redis.url
 * }
 * </pre>
 *
 * When the binary is missing the calling test fails (it is not skipped: CI installs the binary, so
 * a missing one is a broken setup) with a message naming {@code scripts/ensure-test-packages}. {@code KINORA_REDIS_SERVER} points at another binary.
 */
public final class EmbeddedRedis implements AutoCloseable {
    private static final Duration STARTUP = Duration.ofSeconds(10);

    private final Process process;
    private final Path dir;
    private final int port;

    private EmbeddedRedis(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** The redis-server binary: {@code KINORA_REDIS_SERVER}, else /usr/bin/redis-server. */
    public static Path binary() {
        String env = System.getenv("KINORA_REDIS_SERVER");
        return Path.of(env == null || env.isBlank() ? "/usr/bin/redis-server" : env);
    }

    public static EmbeddedRedis start() throws IOException {
        return start(binary());
    }

    static EmbeddedRedis start(Path bin) throws IOException {
        // Fail, never skip: a skipped engine test would make a green run that did not test Redis.
        if (!Files.isExecutable(bin)) {
            throw new IllegalStateException("redis-server is not installed at " + bin + ": run scripts/ensure-test-packages "
                    + "(./kinora test does; it installs Debian's redis-server package), or set KINORA_REDIS_SERVER to a redis-server binary");
        }
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            // The port is free now; another process could take it before redis binds, hence the retries.
            try {
                return startOn(bin, Loopback.freePort());
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    private static EmbeddedRedis startOn(Path bin, int port) throws IOException {
        Path dir = Files.createTempDirectory("kinora-redis-");
        Path log = dir.resolve("redis.log");
        Process p = new ProcessBuilder(List.of(bin.toString(),
                "--bind", "127.0.0.1", "--port", Integer.toString(port), "--dir", dir.toString(),
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes",
                "--loglevel", "warning", "--logfile", log.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        EmbeddedRedis redis = new EmbeddedRedis(p, dir, port);
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                String why = Files.exists(log) ? Files.readString(log) : "";
                redis.close();
                throw new IOException("redis-server exited with " + p.exitValue() + " on port " + port + ": " + why.strip());
            }
            if (redis.pings()) return redis;
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        redis.close();
        throw new IOException("redis-server did not answer PING on 127.0.0.1:" + port + " within " + STARTUP.toSeconds() + " s");
    }

    /** True when the server answers PING (raw RESP, so the fixture needs no client library). */
    public boolean pings() {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[7];
            int n = in.readNBytes(buf, 0, 7);
            return new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    public int port() { return port; }

    /**
     * An empty server on a given port: after {@link #close()} (SIGKILL, nothing saved), the same
     * address coming back, as after a crash and a restart by the server's supervisor.
     */
    public static EmbeddedRedis startOn(int port) throws IOException {
        return startOn(binary(), port);
    }

    /** {@code redis://127.0.0.1:PORT}, the value for {@code redis.url}. */
    public String url() { return "redis://127.0.0.1:" + port; }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is not worth failing a test for
        }
    }
}
