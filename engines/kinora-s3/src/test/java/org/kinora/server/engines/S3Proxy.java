package org.kinora.server.engines;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real S3 API on 127.0.0.1: s3proxy 4.1.0 (filesystem-nio2 backend, AWS v2/v4 signatures
 * checked) in a child JVM, objects in a temp dir. A child process rather than in-process because
 * its jar-with-dependencies bundles its own Jetty and Jackson, which clash with Javalin's. Starts
 * in about 2 s. The jar is copied to {@code target/s3proxy/} by the build (system property
 * {@code s3proxy.jar}); outside Maven it is taken from the local repository.
 */
public final class S3Proxy implements S3Engine {
    public static final String ACCESS_KEY = "kinora-test-access";
    public static final String SECRET_KEY = "kinora-test-secret-0123456789";

    private final Process process;
    private final String endpoint;

    public S3Proxy(Path dir) throws IOException {
        // Under a relative base directory s3proxy's filesystem backend listed a staged upload as empty.
        dir = Files.createDirectories(dir).toAbsolutePath();
        Path dataDir = Files.createDirectories(dir.resolve("objects"));
        int port = Loopback.freePort();
        endpoint = "http://127.0.0.1:" + port;
        Path conf = dir.resolve("s3proxy.conf");
        Files.writeString(conf, String.join("\n",
                "s3proxy.endpoint=" + endpoint,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=filesystem-nio2",
                "jclouds.filesystem.basedir=" + dataDir) + "\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-jar", jar().toString(), "--properties", conf.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("s3proxy.log").toFile()).start();
        try {
            awaitListening(port, dir.resolve("s3proxy.log"));
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    @Override
    public String accessKey() {
        return ACCESS_KEY;
    }

    @Override
    public String secretKey() {
        return SECRET_KEY;
    }

    static Path jar() throws IOException {
        Optional<Path> configured = Optional.ofNullable(System.getProperty("s3proxy.jar")).map(Path::of);
        Path m2 = Path.of(System.getProperty("user.home"), ".m2", "repository", "org", "gaul", "s3proxy", "4.1.0",
                "s3proxy-4.1.0-jar-with-dependencies.jar");
        for (Path candidate : List.of(configured.orElse(m2), Path.of("target", "s3proxy", "s3proxy.jar"), m2)) {
            if (Files.isRegularFile(candidate)) return candidate;
        }
        throw new IOException("s3proxy jar not found (looked at -Ds3proxy.jar, target/s3proxy/s3proxy.jar and " + m2
                + "); run the build once online so that Maven fetches org.gaul:s3proxy:4.1.0:jar-with-dependencies");
    }

    private void awaitListening(int port, Path log) throws IOException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (true) {
            if (!process.isAlive()) throw new IOException("s3proxy exited at start; see " + log + ":\n" + Loopback.tail(log, 20));
            if (Loopback.accepts(port)) return;
            if (Instant.now().isAfter(deadline)) throw new IOException("s3proxy did not listen within 30 s; see " + log);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
