package org.kinora.server.engines;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.kinora.adapters.clamav.ClamdScanner;

/**
 * A real clamd (Debian's clamav-daemon) on a free 127.0.0.1 port and a unix socket, with a
 * signature database this fixture writes: no definitions can be downloaded here, so it holds
 * only the EICAR test signature (as a body signature, found anywhere in a file, and as a hash of
 * the 68-byte test file). A missing binary fails the test with a message naming
 * {@code scripts/ensure-test-packages}; {@code KINORA_CLAMD} points at another binary.
 */
public final class EmbeddedClamd implements AutoCloseable {
    /** The standard anti-virus test string: harmless, and every scanner reports it. */
    public static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";
    public static final String SIGNATURE = "Kinora.Test.EICAR";
    private static final Duration STARTUP = Duration.ofSeconds(30);

    private final Process process;
    public final int port;
    public final Path socket;
    public final Path log;

    private EmbeddedClamd(Process process, int port, Path socket, Path log) {
        this.process = process;
        this.port = port;
        this.socket = socket;
        this.log = log;
    }

    public static Path binary() {
        String env = System.getenv("KINORA_CLAMD");
        return Path.of(env != null && !env.isBlank() ? env : "/usr/sbin/clamd");
    }

    public static EmbeddedClamd start(Path dir) throws IOException {
        Path bin = binary();
        if (!Files.isExecutable(bin)) {
            throw new IllegalStateException("clamd is not installed at " + bin + ": run scripts/ensure-test-packages "
                    + "(./kinora test does; it installs Debian's clamav-daemon package), or set KINORA_CLAMD to a clamd binary");
        }
        Path db = Files.createDirectories(dir.resolve("clamav-db"));
        String hex = HexFormat.of().formatHex(EICAR.getBytes(StandardCharsets.US_ASCII));
        Files.writeString(db.resolve("kinora-test.ndb"), SIGNATURE + ":0:*:" + hex + "\n");
        Files.writeString(db.resolve("kinora-test.hdb"), "44d88612fea8a8f36de82e1278abb02f:68:" + SIGNATURE + ".File\n");
        int port = Loopback.freePort();
        Path socket = dir.resolve("clamd.sock");
        Path log = dir.resolve("clamd.log");
        Path conf = dir.resolve("clamd.conf");
        Files.writeString(conf, String.join("\n",
                "Foreground yes",
                "DatabaseDirectory " + db,
                "TCPSocket " + port,
                "TCPAddr 127.0.0.1",
                "LocalSocket " + socket,
                "LogFile " + log,
                "LogTime yes",
                "StreamMaxLength 64M",
                "MaxThreads 2",
                "OfficialDatabaseOnly no",
                "Bytecode no",
                "") );
        Process p = new ProcessBuilder(List.of(bin.toString(), "--config-file=" + conf)).redirectErrorStream(true)
                .redirectOutput(dir.resolve("clamd.out").toFile()).start();
        EmbeddedClamd clamd = new EmbeddedClamd(p, port, socket, log);
        long deadline = System.nanoTime() + STARTUP.toNanos();
        ClamdScanner ping = new ClamdScanner("127.0.0.1:" + port, Duration.ofSeconds(2));
        while (!ping.isReachable()) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                String out = Files.exists(dir.resolve("clamd.out")) ? Files.readString(dir.resolve("clamd.out")) : "";
                clamd.close();
                throw new IllegalStateException("clamd did not start within " + STARTUP.toSeconds() + " s: " + out);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        return clamd;
    }

    public String tcpAddress() { return "127.0.0.1:" + port; }

    public String unixAddress() { return "unix:" + socket; }

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
