package org.kinora.server.engines;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real, separate PostgreSQL 15 server from Debian's binaries ({@code /usr/lib/postgresql/15},
 * package postgresql-15), for tests of Kinora against an external database: initdb into a temp
 * dir, started with pg_ctl on 127.0.0.1 and a free port, trust authentication, user
 * {@code postgres}. {@link #startReplica()} adds a streaming-replication hot standby made with
 * pg_basebackup. {@link #close()} stops both (immediate) and deletes their directories.
 *
 * <p>initdb and pg_ctl refuse to run as root; the tests run in a user namespace as uid 1000
 * (see the house notes), where they work. Fails the calling test (not a skip: CI installs the
 * binaries, so their absence is a broken setup) when they are missing or the JVM runs as root.
 */
public final class ExternalPostgres implements AutoCloseable {
    private static final Path BIN = Path.of(System.getenv().getOrDefault("KINORA_PG_BIN", "/usr/lib/postgresql/15/bin"));

    private final Path dir;
    private final int port;
    private final List<ExternalPostgres> replicas = new ArrayList<>();

    private ExternalPostgres(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    public static ExternalPostgres start() throws IOException {
        requireRunnable(BIN, uid());
        Path dir = Files.createTempDirectory("kinora-pg15-");
        run(List.of(BIN.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "postgres", "-A", "trust",
                "--no-sync", "-E", "UTF8", "--locale=C"), dir.resolve("initdb.log"));
        ExternalPostgres pg = new ExternalPostgres(dir, Loopback.freePort());
        pg.pgCtlStart();
        return pg;
    }

    /**
     * Fails, never skips, when the binaries in {@code bin} cannot run for user {@code uid}: a
     * skipped engine test would make a green run that did not test an external PostgreSQL.
     */
    static void requireRunnable(Path bin, long uid) {
        if (!Files.isExecutable(bin.resolve("initdb"))) {
            throw new IllegalStateException("PostgreSQL 15 binaries are not at " + bin + ": run scripts/ensure-test-packages "
                    + "(./kinora test does; it installs Debian's postgresql-15), or apt-get install postgresql-15, or set KINORA_PG_BIN");
        }
        if (uid == 0) {
            throw new IllegalStateException("initdb refuses root: run the tests inside a user namespace "
                    + "(unshare --user --map-user=1000), as ./kinora test does");
        }
    }

    /** A hot standby of this server (pg_basebackup -R, streaming replication), on its own port. */
    public ExternalPostgres startReplica() throws IOException {
        Path rdir = Files.createTempDirectory("kinora-pg15-replica-");
        run(List.of(BIN.resolve("pg_basebackup").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", "postgres",
                "-D", rdir.resolve("data").toString(), "-R", "-X", "stream", "-c", "fast"), rdir.resolve("basebackup.log"));
        ExternalPostgres replica = new ExternalPostgres(rdir, Loopback.freePort());
        replica.pgCtlStart();
        replicas.add(replica);
        return replica;
    }

    private void pgCtlStart() throws IOException {
        run(List.of(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w", "-t", "60",
                "-l", dir.resolve("server.log").toString(), "-o",
                "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + dir + " -c fsync=off"
                        + " -c max_connections=200", "start"), dir.resolve("pg_ctl.log"));
    }

    public int port() { return port; }

    /** JDBC URL of database {@code db} (user postgres, no password). */
    public String jdbcUrl(String db) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + db + "?user=postgres";
    }

    public String jdbcUrl() { return jdbcUrl("postgres"); }

    /** Stops the server (fast shutdown: open connections are cut), keeping its data for {@link #restart()}. */
    public void stop() throws IOException {
        run(List.of(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop"),
                dir.resolve("stop.log"));
    }

    /** Starts a stopped server again on the same port with the same data. */
    public void restart() throws IOException {
        pgCtlStart();
    }

    /** Creates an empty database (the "fresh database" several nodes then migrate at once). */
    public String createDatabase(String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl())) {
            c.createStatement().execute("CREATE DATABASE " + name);
        }
        return jdbcUrl(name);
    }

    private static void run(List<String> command, Path log) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command.getFirst() + " did not finish within 120 s; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(Path.of(command.getFirst()).getFileName() + " failed (" + p.exitValue() + "): " + Files.readString(log).strip());
        }
    }

    private static long uid() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        for (ExternalPostgres r : replicas) r.close();
        try {
            run(List.of(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "stop"),
                    dir.resolve("stop.log"));
        } catch (IOException e) {
            // already stopped
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is not worth failing a test for
        }
    }
}
