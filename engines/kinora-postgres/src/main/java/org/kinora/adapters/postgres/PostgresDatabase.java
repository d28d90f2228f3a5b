package org.kinora.adapters.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.kinora.core.common.Transactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pooled connection to PostgreSQL with the schema migrated. Repositories run their SQL through
 * {@link #withHandle}; inside {@link #inTransaction} on the same thread they share one handle,
 * so several repositories commit or roll back together.
 */
public final class PostgresDatabase implements Transactions, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PostgresDatabase.class);
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final HikariDataSource replicaSource;
    private final Jdbi replica;
    private final ThreadLocal<Handle> current = new ThreadLocal<>();
    private final ThreadLocal<List<Runnable>> afterCommit = new ThreadLocal<>();
    private final AtomicLong lastReplicaWarning = new AtomicLong();

    private PostgresDatabase(HikariDataSource dataSource, HikariDataSource replicaSource) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource).installPlugin(new PostgresPlugin());
        this.replicaSource = replicaSource;
        this.replica = replicaSource == null ? null : Jdbi.create(replicaSource).installPlugin(new PostgresPlugin());
    }

    /** Connects, then applies pending migrations from {@code db/migration}. */
    public static PostgresDatabase connect(String jdbcUrl, String user, String password, int poolSize) {
        return connect(jdbcUrl, Optional.empty(), user, password, poolSize);
    }

    /**
     * Connects to the primary and applies pending migrations there, then (when given) opens a
     * read-only pool on {@code replicaUrl} for {@link #withReadHandle}. Several processes may do
     * this at once against one database: Flyway holds a PostgreSQL advisory lock while it
     * migrates, so one process applies each migration and the others wait, then find nothing to do.
     */
    public static PostgresDatabase connect(String jdbcUrl, Optional<String> replicaUrl, String user, String password, int poolSize) {
        HikariDataSource ds = new HikariDataSource(poolConfig(jdbcUrl, user, password, poolSize, "kinora-pg"));
        try {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        if (replicaUrl.isEmpty()) return new PostgresDatabase(ds, null);
        HikariConfig rc = poolConfig(replicaUrl.get(), user, password, poolSize, "kinora-pg-replica");
        rc.setReadOnly(true);
        // A replica that is down must not stop the node: reads fall back to the primary (see withReadHandle).
        rc.setInitializationFailTimeout(-1);
        rc.setConnectionTimeout(2_000);
        log.info("read-only listings go to the replica at {}", replicaUrl.get().replaceAll("password=[^&]*", "password=***"));
        return new PostgresDatabase(ds, new HikariDataSource(rc));
    }

    private static HikariConfig poolConfig(String jdbcUrl, String user, String password, int poolSize, String name) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        if (user != null && !user.isBlank()) config.setUsername(user);
        if (password != null && !password.isBlank()) config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setPoolName(name);
        config.setInitializationFailTimeout(30_000);
        // While PostgreSQL is unreachable a request waits this long for a connection, then answers 503
        // (see isUnreachable); Hikari's 30 s default would hold every request that long.
        config.setConnectionTimeout(5_000);
        return config;
    }

    /**
     * Whether {@code e} says the database could not be reached (no connection from the pool in
     * time, a connection refused or cut, the server shutting down or starting), as opposed to a
     * query that failed: SQLSTATE class 08, 57P01-57P03, or the pool's transient-connection timeout.
     */
    public static boolean isUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLTransientConnectionException) return true;
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().matches("57P0[123]"))) return true;
        }
        return false;
    }

    /** Whether a read replica is configured. */
    public boolean hasReplica() { return replica != null; }

    /**
     * Runs a read-only query on the replica when there is one and no transaction is open on this
     * thread (a transaction must see its own writes), else on the primary. For listings that may
     * lag the primary by the replication delay. When the replica cannot be reached the query runs
     * on the primary (logged at most every 10 s).
     */
    public <T> T withReadHandle(Function<Handle, T> work) {
        if (replica == null || current.get() != null) return withHandle(work);
        Handle h;
        try {
            h = replica.open();
        } catch (ConnectionException e) {
            long now = System.nanoTime();
            long last = lastReplicaWarning.get();
            if (now - last > 10_000_000_000L && lastReplicaWarning.compareAndSet(last, now)) {
                log.warn("the read replica is unreachable ({}); reading from the primary", e.getMessage());
            }
            return withHandle(work);
        }
        try (h) {
            return work.apply(h);
        }
    }

    public DataSource dataSource() { return dataSource; }

    public <T> T withHandle(Function<Handle, T> work) {
        Handle handle = current.get();
        if (handle != null) return work.apply(handle);
        try (Handle h = jdbi.open()) {
            return work.apply(h);
        }
    }

    public void useHandle(java.util.function.Consumer<Handle> work) {
        withHandle(h -> {
            work.accept(h);
            return null;
        });
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        if (current.get() != null) return work.get();
        List<Runnable> callbacks = new ArrayList<>();
        afterCommit.set(callbacks);
        T result;
        try {
            result = jdbi.inTransaction(handle -> {
                current.set(handle);
                try {
                    return work.get();
                } finally {
                    current.remove();
                }
            });
        } finally {
            afterCommit.remove();
        }
        for (Runnable r : callbacks) {
            try {
                r.run();
            } catch (RuntimeException e) {
                log.warn("an after-commit action failed: {}", e.toString());
            }
        }
        return result;
    }

    @Override
    public void afterCommit(Runnable action) {
        List<Runnable> callbacks = afterCommit.get();
        if (callbacks == null) action.run();
        else callbacks.add(action);
    }

    /** True when a trivial query answers: the readiness check. */
    public boolean isReachable() {
        try {
            return withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one() == 1);
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (replicaSource != null) replicaSource.close();
        dataSource.close();
    }
}
