package org.kinora.adapters.postgres;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * A consistent copy of Kinora's tables without pg_dump (the bundled PostgreSQL has no client
 * tools): every table is read with {@code COPY ... TO STDOUT (FORMAT binary)} inside ONE
 * repeatable-read transaction, so all of them show the same instant while the server keeps
 * writing. The schema is not copied: restoring migrates a fresh database with the same Flyway
 * migrations and then loads the rows, with triggers and foreign-key checks off while loading
 * ({@code session_replication_role = replica}; rows that were consistent stay consistent).
 * Sequences are read in the same transaction and set after loading.
 */
public final class PgSnapshot {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HISTORY = "flyway_schema_history";

    private PgSnapshot() {}

    /** Where the snapshot's parts go (entries of the archive). */
    @FunctionalInterface
    public interface Sink {
        OutputStream entry(String name) throws IOException;
    }

    @FunctionalInterface
    public interface Source {
        InputStream entry(String name) throws IOException;
    }

    /** What a snapshot holds besides the rows: the schema version, the columns copied per table, the sequences. */
    public record Manifest(String schemaVersion, Map<String, List<String>> tables, Map<String, Long> sequences) {}

    /**
     * Writes every table to {@code db/<table>.copy} and returns the manifest. {@code atSnapshot}
     * runs right after the transaction's snapshot is taken and before the rows are read: the
     * place to freeze the blobs, so that files and rows are from (nearly) the same moment.
     */
    public static Manifest export(Connection c, Runnable atSnapshot, Sink sink) throws SQLException, IOException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try {
            c.setReadOnly(true);
            String version = schemaVersion(c); // the first statement takes the snapshot
            atSnapshot.run();
            Map<String, List<String>> tables = columns(c);
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            for (var t : tables.entrySet()) {
                OutputStream out = sink.entry("db/" + t.getKey() + ".copy");
                copy.copyOut("COPY " + quote(t.getKey()) + " (" + columnList(t.getValue()) + ") TO STDOUT (FORMAT binary)", out);
                out.flush();
            }
            Map<String, Long> sequences = new LinkedHashMap<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'")) {
                while (rs.next()) {
                    long v = rs.getLong(2);
                    if (!rs.wasNull()) sequences.put(rs.getString(1), v);
                }
            }
            Manifest m = new Manifest(version, tables, sequences);
            OutputStream out = sink.entry("db/manifest.json");
            out.write(JSON.writeValueAsBytes(m));
            out.flush();
            c.commit();
            return m;
        } catch (SQLException | IOException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setReadOnly(false);
            c.setAutoCommit(auto);
        }
    }

    public static Manifest readManifest(InputStream in) throws IOException {
        return JSON.readValue(in, Manifest.class);
    }

    /**
     * Loads a snapshot into a database migrated to the same schema version that holds no
     * accounts yet, in one transaction: a failed restore leaves it empty.
     */
    public static void restore(Connection c, Manifest m, Source source) throws SQLException, IOException {
        String version = schemaVersion(c);
        if (!version.equals(m.schemaVersion())) {
            throw new IllegalStateException("The backup is of database schema version " + m.schemaVersion() + " and this Kinora's is "
                    + version + ": restore it with the Kinora version that made it.");
        }
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM users")) {
                rs.next();
                if (rs.getLong(1) > 0) throw new IllegalStateException("The target database already holds accounts; restore into a fresh one.");
            }
            s.execute("SET LOCAL session_replication_role = replica");
            Map<String, List<String>> here = columns(c);
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            for (var t : m.tables().entrySet()) {
                if (!here.containsKey(t.getKey())) throw new IllegalStateException("The backup has a table this schema lacks: " + t.getKey());
                // Rows the migrations themselves inserted (defaults) give way to the backup's.
                s.execute("DELETE FROM " + quote(t.getKey()));
                try (InputStream in = source.entry("db/" + t.getKey() + ".copy")) {
                    copy.copyIn("COPY " + quote(t.getKey()) + " (" + columnList(t.getValue()) + ") FROM STDIN (FORMAT binary)", in);
                }
            }
            for (var seq : m.sequences().entrySet()) {
                try (var ps = c.prepareStatement("SELECT setval(?::regclass, ?)")) {
                    ps.setString(1, quote(seq.getKey()));
                    ps.setLong(2, seq.getValue());
                    ps.execute();
                }
            }
            c.commit();
        } catch (SQLException | IOException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private static String schemaVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version FROM " + HISTORY + " WHERE success AND version IS NOT NULL "
                     + "ORDER BY installed_rank DESC LIMIT 1")) {
            if (!rs.next()) throw new IllegalStateException("The database has no Kinora schema (no Flyway history).");
            return rs.getString(1);
        }
    }

    /** Ordinary tables of the public schema and their stored, non-generated columns. */
    private static Map<String, List<String>> columns(Connection c) throws SQLException {
        Map<String, List<String>> tables = new LinkedHashMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     SELECT c.table_name, c.column_name FROM information_schema.columns c
                     JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                     WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.is_generated = 'NEVER'
                       AND c.table_name <> '%s'
                     ORDER BY c.table_name, c.ordinal_position""".formatted(HISTORY))) {
            while (rs.next()) tables.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
        }
        return tables;
    }

    private static String columnList(List<String> columns) {
        return String.join(", ", columns.stream().map(PgSnapshot::quote).toList());
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
