package org.kinora.server.ops;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.kinora.adapters.postgres.EmbeddedPostgresServer;
import org.kinora.adapters.postgres.PgSnapshot;
import org.kinora.adapters.postgres.PostgresDatabase;
import org.kinora.server.config.KinoraConfig;

/**
 * {@code kinora backup <archive>} and {@code kinora restore <archive>} for an instance whose
 * media are in the local blob directory (the embedded default; the database may be embedded or
 * external).
 *
 * <p>Consistency while the server runs: one repeatable-read transaction reads every table
 * ({@link PgSnapshot}); right after its snapshot is taken, every blob file is hard-linked into a
 * staging directory (a link costs no copy, and a file deleted afterwards lives on through it).
 * Kinora writes a video's files before the rows that name them and marks a video deleted before
 * removing its files, so every row in the snapshot finds its files among the links; files
 * written after the snapshot are extra and harmless. The only window is a video deleted during
 * the linking itself (milliseconds to seconds), which may restore with some files missing.
 *
 * <p>The archive is a zip: {@code db/} (the rows in PostgreSQL's binary COPY format and a
 * manifest), {@code blobs/} and {@code secrets/} (so that tokens, sessions and playback URLs
 * issued before stay valid). It is written to a temporary name and renamed when complete.
 */
public final class Backup {
    private Backup() {}

    public static void backup(KinoraConfig config, Path archive, PrintWriter out) throws Exception {
        requireLocalBlobs(config);
        Path target = archive.toAbsolutePath();
        Path tmp = target.resolveSibling(target.getFileName() + ".partial");
        Path staging = config.dataDir().resolve("backup-staging-" + ProcessHandle.current().pid());
        EmbeddedPostgresServer started = null;
        try {
            String url;
            if (config.databaseUrl().isPresent()) {
                url = config.databaseUrl().get();
            } else {
                var running = runningEmbeddedPort(config);
                if (running.isPresent()) {
                    url = "jdbc:postgresql://localhost:" + running.get() + "/postgres?user=postgres";
                } else {
                    started = EmbeddedPostgresServer.start(config.embeddedPostgresDir(), config.toolsDir().resolve("postgres"));
                    url = started.jdbcUrl();
                }
            }
            long[] files = new long[1];
            PgSnapshot.Manifest m;
            try (Connection c = connect(url, config);
                 ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(tmp))) {
                zip.setLevel(Deflater.BEST_SPEED);
                m = PgSnapshot.export(c, () -> files[0] = link(config.blobDir(), staging), name -> entry(zip, name));
                addTree(zip, staging, "blobs/");
                if (Files.isDirectory(config.secretsDir())) addTree(zip, config.secretsDir(), "secrets/");
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            out.printf("Backed up %d tables (schema %s) and %d files to %s%n", m.tables().size(), m.schemaVersion(), files[0], target);
        } finally {
            Files.deleteIfExists(tmp);
            deleteTree(staging);
            if (started != null) started.close();
        }
    }

    public static void restore(KinoraConfig config, Path archive, PrintWriter out) throws Exception {
        requireLocalBlobs(config);
        if (config.databaseUrl().isEmpty() && Files.exists(config.embeddedPostgresDir())) {
            throw new IllegalStateException("The data directory " + config.dataDir() + " already holds a database; restore into a fresh one "
                    + "(--data-dir) or move it away first.");
        }
        if (Files.isDirectory(config.blobDir()) && !isEmpty(config.blobDir())) {
            throw new IllegalStateException("The blob directory " + config.blobDir() + " is not empty; restore into a fresh data directory.");
        }
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            if (zip.getEntry("db/manifest.json") == null) throw new IllegalStateException(archive + " is not a Kinora backup (no db/manifest.json).");
            PgSnapshot.Manifest m;
            try (InputStream in = zip.getInputStream(zip.getEntry("db/manifest.json"))) {
                m = PgSnapshot.readManifest(in);
            }
            Files.createDirectories(config.dataDir());
            EmbeddedPostgresServer pg = config.databaseUrl().isPresent() ? null
                    : EmbeddedPostgresServer.start(config.embeddedPostgresDir(), config.toolsDir().resolve("postgres"));
            try {
                String url = pg == null ? config.databaseUrl().get() : pg.jdbcUrl();
                // Migrating gives the fresh database the schema the rows belong to.
                try (PostgresDatabase db = PostgresDatabase.connect(url, config.databaseUser(), config.databasePassword(), 2);
                     Connection c = db.dataSource().getConnection()) {
                    PgSnapshot.restore(c, m, name -> {
                        ZipEntry e = zip.getEntry(name);
                        if (e == null) throw new IOException("the backup lacks " + name);
                        return zip.getInputStream(e);
                    });
                }
            } finally {
                if (pg != null) pg.close();
            }
            long files = 0;
            for (var entries = zip.entries(); entries.hasMoreElements(); ) {
                ZipEntry e = entries.nextElement();
                Path dest;
                if (e.getName().startsWith("blobs/")) dest = inside(config.blobDir(), e.getName().substring(6));
                else if (e.getName().startsWith("secrets/")) dest = inside(config.secretsDir(), e.getName().substring(8));
                else continue;
                if (e.isDirectory()) continue;
                Files.createDirectories(dest.getParent());
                try (InputStream in = zip.getInputStream(e)) {
                    Files.copy(in, dest);
                }
                files++;
            }
            out.printf("Restored %d tables (schema %s) and %d files into %s%n", m.tables().size(), m.schemaVersion(), files, config.dataDir());
        }
    }

    private static void requireLocalBlobs(KinoraConfig config) {
        if (config.blob().usesS3()) {
            throw new IllegalStateException("kinora backup copies the local blob directory; with blob.store = s3 back up the bucket "
                    + "with the provider's tools (versioning or replication) and the database with pg_dump.");
        }
    }

    private static Connection connect(String url, KinoraConfig config) throws Exception {
        var props = new java.util.Properties();
        if (!config.databaseUser().isBlank()) props.setProperty("user", config.databaseUser());
        if (!config.databasePassword().isBlank()) props.setProperty("password", config.databasePassword());
        return DriverManager.getConnection(url, props);
    }

    /** The port of the embedded PostgreSQL a running server started (line 4 of postmaster.pid), if it runs. */
    static java.util.Optional<Integer> runningEmbeddedPort(KinoraConfig config) throws IOException {
        Path pid = config.embeddedPostgresDir().resolve("postmaster.pid");
        if (!Files.exists(pid)) return java.util.Optional.empty();
        List<String> lines = Files.readAllLines(pid);
        if (lines.size() < 4) return java.util.Optional.empty();
        long processId = Long.parseLong(lines.get(0).strip());
        if (ProcessHandle.of(processId).map(ProcessHandle::isAlive).orElse(false)) {
            return java.util.Optional.of(Integer.parseInt(lines.get(3).strip()));
        }
        return java.util.Optional.empty();
    }

    /**
     * Hard-links every file under {@code root} into {@code staging} (copies where linking is
     * impossible); returns how many. The instance keeps running: a file or folder deleted while
     * the tree is walked is simply not in the snapshot, and the blob store's unfinished writes
     * (hidden {@code .put-*.tmp} files, renamed into place when complete) are left out.
     */
    private static long link(Path root, Path staging) {
        try {
            Files.createDirectories(staging);
            if (!Files.isDirectory(root)) return 0;
            long[] n = {0};
            Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
                @Override
                public java.nio.file.FileVisitResult visitFile(Path p, java.nio.file.attribute.BasicFileAttributes attrs) throws IOException {
                    if (!attrs.isRegularFile() || p.getFileName().toString().startsWith(".put-")) return java.nio.file.FileVisitResult.CONTINUE;
                    Path dest = staging.resolve(root.relativize(p).toString());
                    Files.createDirectories(dest.getParent());
                    try {
                        Files.createLink(dest, p);
                    } catch (java.nio.file.NoSuchFileException gone) {
                        return java.nio.file.FileVisitResult.CONTINUE; // deleted while walking: not in the snapshot either
                    } catch (FileSystemException | UnsupportedOperationException otherDevice) {
                        Files.copy(p, dest);
                    }
                    n[0]++;
                    return java.nio.file.FileVisitResult.CONTINUE;
                }

                @Override
                public java.nio.file.FileVisitResult visitFileFailed(Path p, IOException e) throws IOException {
                    if (e instanceof java.nio.file.NoSuchFileException) return java.nio.file.FileVisitResult.CONTINUE; // gone meanwhile
                    throw e;
                }
            });
            return n[0];
        } catch (IOException e) {
            throw new UncheckedIOException("could not freeze the blob directory " + root + ": " + e.getMessage(), e);
        }
    }

    private static void addTree(ZipOutputStream zip, Path root, String prefix) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all.filter(Files::isRegularFile).sorted()::iterator) {
                try (OutputStream o = entry(zip, prefix + root.relativize(p).toString().replace('\\', '/'))) {
                    Files.copy(p, o);
                }
            }
        }
    }

    private static OutputStream entry(ZipOutputStream zip, String name) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        return new FilterOutputStream(zip) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException { zip.write(b, off, len); }

            @Override
            public void close() throws IOException { zip.closeEntry(); }
        };
    }

    /** {@code name} under {@code root}, refusing names that climb out of it (a crafted archive). */
    private static Path inside(Path root, String name) {
        Path p = root.resolve(name).normalize();
        if (!p.startsWith(root.normalize()) || name.isEmpty()) throw new IllegalStateException("unsafe path in the backup: " + name);
        return p;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
        }
    }
}
