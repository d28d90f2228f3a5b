package org.kinora.adapters.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
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
    private final ThreadLocal<Handle> current = new ThreadLocal<>();
    private final ThreadLocal<List<Runnable>> afterCommit = new ThreadLocal<>();

    private PostgresDatabase(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource).installPlugin(new PostgresPlugin());
    }

    /** Connects, then applies pending migrations from {@code db/migration}. */
    public static PostgresDatabase connect(String jdbcUrl, String user, String password, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        if (user != null && !user.isBlank()) config.setUsername(user);
        if (password != null && !password.isBlank()) config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("kinora-pg");
        config.setInitializationFailTimeout(30_000);
        HikariDataSource ds = new HikariDataSource(config);
        try {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new PostgresDatabase(ds);
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
        dataSource.close();
    }
}
