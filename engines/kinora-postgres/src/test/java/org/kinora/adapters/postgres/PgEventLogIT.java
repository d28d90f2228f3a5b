package org.kinora.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.core.events.DomainEvent;

/** The outbox against a real PostgreSQL: atomic with its change, ordered, one deliverer per consumer. */
@Timeout(120)
class PgEventLogIT {
    @TempDir
    static Path dir;
    static EmbeddedPostgresServer pg;
    static PostgresDatabase db;
    static PgEventLog log;

    private static final Set<String> ALL = Set.of("a", "b");

    @BeforeAll
    static void start() throws Exception {
        pg = EmbeddedPostgresServer.start(dir.resolve("pg"), Path.of("target/pg-bin"));
        db = PostgresDatabase.connect(pg.jdbcUrl(), "", "", 8);
        log = new PgEventLog(db);
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
        pg.close();
    }

    @BeforeEach
    void empty() {
        db.useHandle(h -> h.execute("DELETE FROM outbox; DELETE FROM event_consumers"));
    }

    private static DomainEvent event(String type, String subject) {
        return DomainEvent.of(type, subject, "u1", Instant.now(), Map.of("k", "v"));
    }

    private static List<String> drain(String consumer, Set<String> types) throws Exception {
        List<String> seen = new ArrayList<>();
        while (log.deliver(consumer, types, 2, e -> seen.add(e.subjectId())) > 0) { /* next batch */ }
        return seen;
    }

    @Test
    void eventsArriveInOrderWithTheirDataAndOnlyOncePerConsumer() throws Exception {
        for (int i = 1; i <= 5; i++) log.append(event(i % 2 == 0 ? "b" : "a", "s" + i));
        List<DomainEvent> got = new ArrayList<>();
        while (log.deliver("c1", ALL, 2, got::add) > 0) { /* next batch */ }
        assertThat(got).extracting(DomainEvent::subjectId).containsExactly("s1", "s2", "s3", "s4", "s5");
        assertThat(got.getFirst().data()).isEqualTo(Map.of("k", "v"));
        assertThat(got.getFirst().actorId()).isEqualTo("u1");
        assertThat(drain("c1", ALL)).isEmpty();
        assertThat(drain("c2", Set.of("b"))).containsExactly("s2", "s4"); // another consumer reads from the start
    }

    @Test
    void anEventWrittenInARolledBackTransactionNeverExists() throws Exception {
        assertThatThrownBy(() -> db.inTransaction(() -> {
            log.append(event("a", "ghost"));
            throw new IllegalStateException("the change failed");
        })).hasMessage("the change failed");
        log.append(event("a", "real"));
        assertThat(drain("c1", ALL)).containsExactly("real");
    }

    @Test
    void aConsumerDoesNotMovePastATransactionThatIsStillOpen() throws Exception {
        CountDownLatch appended = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread slow = Thread.ofVirtual().start(() -> db.inTransaction(() -> {
            log.append(event("a", "slow")); // takes its id and transaction first...
            appended.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }));
        assertThat(appended.await(10, TimeUnit.SECONDS)).isTrue();
        log.append(event("a", "fast")); // ...but this one commits first
        assertThat(drain("c1", ALL)).as("nothing newer than an open transaction is delivered").isEmpty();
        release.countDown();
        slow.join();
        assertThat(drain("c1", ALL)).containsExactly("slow", "fast");
    }

    @Test
    void aFailingHandlerLeavesTheCheckpointBeforeItsEventAndRollsBackItsWrites() throws Exception {
        log.append(event("a", "s1"));
        log.append(event("a", "s2"));
        db.useHandle(h -> h.execute("CREATE TABLE IF NOT EXISTS handled (subject text)"));
        db.useHandle(h -> h.execute("DELETE FROM handled"));
        assertThatThrownBy(() -> log.deliver("c1", ALL, 10, e -> {
            db.useHandle(h -> h.execute("INSERT INTO handled VALUES (?)", e.subjectId()));
            if (e.subjectId().equals("s2")) throw new java.io.IOException("index unreachable");
        })).isInstanceOf(java.io.IOException.class);
        int handled = db.withHandle(h -> h.createQuery("SELECT count(*) FROM handled").mapTo(Integer.class).one());
        assertThat(handled).as("the handler's writes rolled back with the batch").isZero();
        assertThat(drain("c1", ALL)).containsExactly("s1", "s2");
    }

    @Test
    void aFailingFlushKeepsTheWholeBatchForTheNextDelivery() throws Exception {
        log.append(event("a", "s1"));
        log.append(event("a", "s2"));
        List<String> sent = new ArrayList<>();
        org.kinora.core.events.EventHandler relay = new org.kinora.core.events.EventHandler() {
            @Override
            public void handle(DomainEvent e) {
                sent.add(e.subjectId());
            }

            @Override
            public void flush() throws Exception {
                throw new java.io.IOException("broker did not acknowledge");
            }
        };
        assertThatThrownBy(() -> log.deliver("relay", ALL, 10, relay)).isInstanceOf(java.io.IOException.class);
        assertThat(sent).containsExactly("s1", "s2");
        assertThat(drain("relay", ALL)).as("the checkpoint stayed before the batch").containsExactly("s1", "s2");
    }

    @Test
    void whileOneProcessDeliversToAConsumerAnotherGetsNothing() throws Exception {
        log.append(event("a", "s1"));
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread first = Thread.ofVirtual().start(() -> {
            try {
                log.deliver("c1", ALL, 10, e -> {
                    inside.countDown();
                    release.await(10, TimeUnit.SECONDS);
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
        int delivered = log.deliver("c1", ALL, 10, e -> { throw new AssertionError("delivered twice: " + e); });
        assertThat(delivered).isZero();
        release.countDown();
        first.join();
        assertThat(drain("c1", ALL)).isEmpty();
    }

    @Test
    void pruningDeletesOnlyOldEventsThatEveryConsumerHasPassed() throws Exception {
        Instant now = Instant.now();
        Instant tenDaysAgo = now.minus(java.time.Duration.ofDays(10));
        for (int i = 1; i <= 4; i++) log.append(DomainEvent.of("a", "old" + i, "u1", tenDaysAgo, Map.of()));
        log.append(DomainEvent.of("a", "new1", "u1", now, Map.of()));
        assertThat(drain("fast", ALL)).hasSize(5);
        assertThat(log.deliver("slow", ALL, 2, e -> { })).isEqualTo(2); // slow has read old1 and old2 only
        Instant cutoff = now.minus(java.time.Duration.ofDays(7));

        assertThat(log.consumersHoldingBack(cutoff)).containsOnlyKeys("slow");
        assertThat(log.prune(cutoff, 1)).isEqualTo(1); // batches are bounded
        assertThat(log.prune(cutoff, 100)).isEqualTo(1);
        assertThat(log.prune(cutoff, 100)).isZero(); // old3 and old4 wait for slow, new1 is recent
        assertThat(subjectsLeft()).containsExactly("old3", "old4", "new1");

        assertThat(drain("slow", ALL)).containsExactly("old3", "old4", "new1"); // nothing it had not read is gone
        assertThat(log.consumersHoldingBack(cutoff)).isEmpty();
        assertThat(log.prune(cutoff, 100)).isEqualTo(2);
        assertThat(subjectsLeft()).containsExactly("new1");
        assertThat(drain("late", ALL)).containsExactly("new1"); // a consumer registering now starts from what is left
    }

    private static List<String> subjectsLeft() {
        return db.withHandle(h -> h.createQuery("SELECT subject_id FROM outbox ORDER BY tx, id").mapTo(String.class).list());
    }
}
