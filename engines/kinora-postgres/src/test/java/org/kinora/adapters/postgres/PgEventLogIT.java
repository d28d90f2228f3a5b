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
import org.kinora.core.engagement.Rating;
import org.kinora.core.events.DomainEvent;
import org.kinora.core.events.EventEnvelope;
import org.kinora.core.events.EventType;

/** The outbox against a real PostgreSQL: atomic with its change, ordered, one deliverer per consumer. */
@Timeout(120)
class PgEventLogIT {
    @TempDir
    static Path dir;
    static EmbeddedPostgresServer pg;
    static PostgresDatabase db;
    static PgEventLog log;

    private static final Set<EventType> ALL = Set.of(EventType.VIDEO_DELETED, EventType.VIDEO_RATED);

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

    /** "a": a video.deleted; "b": a video.rated (an event with data). */
    private static EventEnvelope event(String type, String subject) {
        DomainEvent e = type.equals("b") ? new DomainEvent.VideoRated(subject, "u1", Rating.LIKE, Rating.NONE)
                : new DomainEvent.VideoDeleted(subject, "u1");
        return EventEnvelope.of(e, Instant.now());
    }

    private static List<String> drain(String consumer, Set<EventType> types) throws Exception {
        List<String> seen = new ArrayList<>();
        while (log.deliver(consumer, types, 2, e -> seen.add(e.subjectId())) > 0) { /* next batch */ }
        return seen;
    }

    @Test
    void eventsArriveInOrderWithTheirDataAndOnlyOncePerConsumer() throws Exception {
        for (int i = 1; i <= 5; i++) log.append(event(i % 2 == 0 ? "b" : "a", "s" + i));
        List<EventEnvelope> got = new ArrayList<>();
        while (log.deliver("c1", ALL, 2, got::add) > 0) { /* next batch */ }
        assertThat(got).extracting(EventEnvelope::subjectId).containsExactly("s1", "s2", "s3", "s4", "s5");
        assertThat(got.get(1).event()).isEqualTo(new DomainEvent.VideoRated("s2", "u1", Rating.LIKE, Rating.NONE));
        assertThat(got.getFirst().actorId()).isEqualTo("u1");
        assertThat(drain("c1", ALL)).isEmpty();
        assertThat(drain("c2", Set.of(EventType.VIDEO_RATED))).containsExactly("s2", "s4"); // another consumer reads from the start
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
            public void handle(EventEnvelope e) {
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
        for (int i = 1; i <= 4; i++) log.append(new DomainEvent.VideoDeleted("old" + i, "u1"), tenDaysAgo);
        log.append(new DomainEvent.VideoDeleted("new1", "u1"), now);
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

    /**
     * Rows as the previous version wrote them (a bare string map as data), inserted by hand:
     * they decode into the typed events; a row of a type this version does not know, or one that
     * lacks a field, is passed over without stalling the consumer.
     */
    @Test
    void rowsInThePreviousFormatDecodeAndUnreadableOnesArePassedOver() throws Exception {
        insertRow("e1", "comment.created", "c1", "u2",
                "{\"video_id\": \"v1\", \"parent_id\": \"c0\", \"video_title\": \"Cats\", \"video_owner_id\": \"u1\", \"parent_author_id\": \"u3\"}");
        insertRow("e2", "some.future.type", "x", null, "{}");
        insertRow("e3", "video.viewed", "v1", null, "{}"); // lacks views
        insertRow("e4", "video.viewed", "v1", null, "{\"views\": \"3\"}");
        List<EventEnvelope> got = new ArrayList<>();
        while (log.deliver("c1", Set.of(EventType.values()), 10, got::add) > 0) { /* next batch */ }
        assertThat(got).extracting(EventEnvelope::id).containsExactly("e1", "e4");
        assertThat(got.get(0).event()).isEqualTo(new DomainEvent.CommentCreated("c1", "u2", "v1", "u1", "Cats", "c0", "u3"));
        assertThat(got.get(0).occurredAt()).isEqualTo(Instant.parse("2026-11-20T09:30:00Z"));
        assertThat(got.get(1).event()).isEqualTo(new DomainEvent.VideoViewed("v1", 3));
        assertThat(log.deliver("c1", Set.of(EventType.values()), 10, e -> { })).as("the checkpoint passed them all").isZero();
    }

    /** What append stores is the previous version's row, column for column. */
    @Test
    void anAppendedEventIsStoredInThePreviousFormat() {
        EventEnvelope e = new EventEnvelope("e9", Instant.parse("2026-11-20T09:30:00Z"),
                new DomainEvent.VideoUpdated("v1", "u1", org.kinora.core.video.Privacy.PUBLIC, org.kinora.core.video.Privacy.PRIVATE));
        db.inTransaction(() -> log.append(e));
        Map<String, Object> row = db.withHandle(h -> h.createQuery(
                        "SELECT event_id, type, subject_id, actor_id, occurred_at, data::text AS data FROM outbox").mapToMap().one());
        assertThat(row).containsEntry("event_id", "e9").containsEntry("type", "video.updated")
                .containsEntry("subject_id", "v1").containsEntry("actor_id", "u1")
                .containsEntry("data", "{\"privacy\": \"public\", \"previous_privacy\": \"private\"}");
        assertThat(((java.sql.Timestamp) row.get("occurred_at")).toInstant()).isEqualTo(e.occurredAt());
    }

    private static void insertRow(String id, String type, String subject, String actor, String data) {
        db.useHandle(h -> h.createUpdate("""
                        INSERT INTO outbox (event_id, type, subject_id, actor_id, occurred_at, data)
                        VALUES (:id, :type, :subject, :actor, TIMESTAMPTZ '2026-11-20 09:30:00Z', CAST(:data AS jsonb))""")
                .bind("id", id).bind("type", type).bind("subject", subject).bind("actor", actor).bind("data", data).execute());
    }
}
