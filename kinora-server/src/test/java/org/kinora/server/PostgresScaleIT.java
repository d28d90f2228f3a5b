package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kinora.adapters.postgres.PgVideoRepository;
import org.kinora.adapters.postgres.PostgresDatabase;
import org.kinora.server.engines.ExternalPostgres;

/**
 * Kinora on an external PostgreSQL 15 with a streaming replica: three nodes starting at once on
 * a fresh database apply each migration exactly once (Flyway's advisory lock), and read-only
 * listings go to the replica while transactions stay on the primary.
 */
@Timeout(300)
class PostgresScaleIT {
    @Test
    void threeNodesMigrateAFreshDatabaseOnceAndListingsReadTheReplica() throws Exception {
        try (ExternalPostgres primary = ExternalPostgres.start()) {
            String url = primary.createDatabase("kinora");
            ExternalPostgres replica = primary.startReplica();
            String replicaUrl = replica.jdbcUrl("kinora");

            List<PostgresDatabase> nodes = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<PostgresDatabase>> starts = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    starts.add(pool.submit(() -> {
                        go.await();
                        return PostgresDatabase.connect(url, Optional.of(replicaUrl), "", "", 4);
                    }));
                }
                go.countDown();
                for (Future<PostgresDatabase> f : starts) nodes.add(f.get()); // every node started

                try (Connection c = DriverManager.getConnection(url)) {
                    ResultSet dup = c.createStatement().executeQuery(
                            "SELECT version FROM flyway_schema_history WHERE version IS NOT NULL GROUP BY version HAVING count(*) > 1");
                    assertThat(dup.next()).as("a migration applied twice").isFalse();
                    ResultSet failed = c.createStatement().executeQuery("SELECT count(*) FROM flyway_schema_history WHERE NOT success");
                    failed.next();
                    assertThat(failed.getInt(1)).isZero();
                }
                long migrations = count(url, "SELECT count(*) FROM flyway_schema_history WHERE version IS NOT NULL");
                int known = Flyway.configure().dataSource(url, "postgres", "").locations("classpath:db/migration").load()
                        .info().all().length;
                assertThat(migrations).isEqualTo(known);

                // The replica follows (streaming replication), then serves the read-only listings.
                Api.await(Duration.ofSeconds(30), () -> {
                    try {
                        return count(replicaUrl, "SELECT count(*) FROM flyway_schema_history WHERE version IS NOT NULL") == migrations;
                    } catch (Exception e) {
                        return false;
                    }
                });
                PostgresDatabase db = nodes.getFirst();
                assertThat(db.hasReplica()).isTrue();
                boolean replicaAnswers = db.withReadHandle(h -> h.createQuery("SELECT pg_is_in_recovery()").mapTo(Boolean.class).one());
                boolean primaryAnswers = db.withHandle(h -> h.createQuery("SELECT pg_is_in_recovery()").mapTo(Boolean.class).one());
                assertThat(replicaAnswers).isTrue();
                assertThat(primaryAnswers).isFalse();
                // Inside a transaction a read must see the transaction's own writes: the primary.
                boolean inTransaction = db.inTransaction(() -> db.withReadHandle(h -> h.createQuery("SELECT pg_is_in_recovery()")
                        .mapTo(Boolean.class).one()));
                assertThat(inTransaction).isFalse();
                assertThat(new PgVideoRepository(db).listPublicReady(Optional.empty(), 10)).isEmpty();
            } finally {
                pool.shutdownNow();
                nodes.forEach(PostgresDatabase::close);
            }
        }
    }

    private static long count(String url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
