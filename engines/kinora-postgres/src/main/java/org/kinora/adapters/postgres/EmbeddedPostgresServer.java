package org.kinora.adapters.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * PostgreSQL started from binaries shipped in a Maven artifact, with its data under the Kinora
 * data directory so that restarting keeps everything. Used when the config names no database.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts (initialising on first use) a cluster in {@code dataDir}; binaries unpack into {@code binDir}. */
    public static EmbeddedPostgresServer start(Path dataDir, Path binDir) throws IOException {
        refuseRoot();
        Files.createDirectories(dataDir);
        Files.createDirectories(binDir);
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(binDir.toFile())
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("max_connections", "100")
                .setServerConfig("fsync", "on")
                .start();
        return new EmbeddedPostgresServer(pg);
    }

    /** PostgreSQL will not run as root; say how to get past that instead of failing deep inside initdb. */
    private static void refuseRoot() {
        if (runningAsRoot()) {
            throw new IllegalStateException("Embedded PostgreSQL refuses to run as root. Start Kinora with ./kinora, "
                    + "which runs it inside an unprivileged user namespace when you are root, run it as a normal user, "
                    + "or set database.url in kinora.conf to an external PostgreSQL.");
        }
    }

    private static boolean runningAsRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    public int port() {
        return postgres.getPort();
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
