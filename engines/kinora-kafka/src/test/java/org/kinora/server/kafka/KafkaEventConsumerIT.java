package org.kinora.server.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.adapters.kafka.KafkaClient;
import org.kinora.adapters.kafka.KafkaEventConsumer;
import org.kinora.adapters.kafka.KafkaEventRelay;
import org.kinora.adapters.kafka.KafkaSettings;
import org.kinora.adapters.postgres.EmbeddedPostgresServer;
import org.kinora.adapters.postgres.PgEventLog;
import org.kinora.adapters.postgres.PostgresDatabase;
import org.kinora.core.events.DomainEvent;
import org.kinora.core.events.EventDispatcher;
import org.kinora.core.events.EventEnvelope;
import org.kinora.core.events.EventHandler;
import org.kinora.core.events.EventType;
import org.kinora.server.engines.EmbeddedKafka;

/**
 * A consumer of the relayed event log (real Kafka and PostgreSQL): it gets the committed events
 * of its types, in order per subject, each batch inside a database transaction; a batch whose
 * handling failed is read again (its transaction rolled back, nothing lost); a consumer started
 * again in the same group goes on after what was committed.
 */
@Timeout(180)
class KafkaEventConsumerIT {
    @TempDir
    static Path dir;
    static EmbeddedKafka kafka;
    static EmbeddedPostgresServer pg;
    static PostgresDatabase db;

    @BeforeAll
    static void start() throws Exception {
        kafka = new EmbeddedKafka(dir.resolve("kafka"));
        pg = EmbeddedPostgresServer.start(dir.resolve("pg"), Path.of("target/pg-bin"));
        db = PostgresDatabase.connect(pg.jdbcUrl(), "", "", 8);
        db.useHandle(h -> h.execute("CREATE TABLE seen (id text PRIMARY KEY, subject text, n int)"));
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
        pg.close();
        kafka.close();
    }

    /** Stores each event in {@code seen} (idempotently, as handlers must), failing the first batch once when asked. */
    static final class Recorder implements EventHandler {
        final List<String> handled = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger failuresLeft;

        Recorder(int failures) {
            this.failuresLeft = new AtomicInteger(failures);
        }

        @Override
        public void handle(EventEnvelope e) {
            int n = e.event() instanceof DomainEvent.VideoViewed v ? (int) v.views() : -1;
            db.useHandle(h -> h.createUpdate("INSERT INTO seen VALUES (:id, :s, :n) ON CONFLICT DO NOTHING")
                    .bind("id", e.id()).bind("s", e.subjectId()).bind("n", n).execute());
            handled.add(e.id());
        }

        @Override
        public void flush() {
            if (failuresLeft.getAndDecrement() > 0) throw new IllegalStateException("the rollup failed (test)");
        }
    }

    @Test
    void relayedEventsReachTheGroupOnceCommittedAndAFailedBatchIsReadAgain() throws Exception {
        KafkaClient client = new KafkaClient(new KafkaSettings(kafka.bootstrapServers(), "c1.", 2, (short) 1, "unused",
                Duration.ofSeconds(10), Duration.ofMinutes(10)));
        PgEventLog events = new PgEventLog(db);
        EventDispatcher dispatcher = new EventDispatcher(events, Duration.ofMillis(100));
        dispatcher.subscribe(KafkaEventRelay.CONSUMER, Set.of(EventType.VIDEO_VIEWED, EventType.VIDEO_DELETED), new KafkaEventRelay(client));
        dispatcher.start();
        List<EventEnvelope> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) sent.add(append(events, new DomainEvent.VideoViewed("video-" + (i % 3), i)));
        append(events, new DomainEvent.VideoDeleted("video-9", "u1")); // not a type the consumer wants

        Recorder first = new Recorder(1);
        KafkaEventConsumer consumer = new KafkaEventConsumer(client, db, "test", Set.of(EventType.VIDEO_VIEWED), first).start();
        assertThat(consumer.group()).isEqualTo("c1.events.test");
        awaitSeen(20);
        // The failed batch's rows were rolled back with its transaction, then it was read again.
        assertThat(first.handled.size()).isGreaterThan(20);
        List<Integer> perSubject = db.withHandle(h -> h.createQuery("SELECT n FROM seen WHERE subject = 'video-1' ORDER BY n").mapTo(Integer.class).list());
        assertThat(perSubject).containsExactly(1, 4, 7, 10, 13, 16, 19);
        int unwanted = db.withHandle(h -> h.createQuery("SELECT count(*) FROM seen WHERE n = -1").mapTo(Integer.class).one());
        assertThat(unwanted).as("events of other types").isZero();
        consumer.close();

        // Started again in the same group: only what came after the committed offsets.
        for (int i = 20; i < 25; i++) sent.add(append(events, new DomainEvent.VideoViewed("video-" + (i % 3), i)));
        Recorder second = new Recorder(0);
        KafkaEventConsumer again = new KafkaEventConsumer(client, db, "test", Set.of(EventType.VIDEO_VIEWED), second).start();
        awaitSeen(25);
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (System.nanoTime() < deadline) Thread.sleep(100); // room for a wrong redelivery to show up
        assertThat(second.handled).containsExactlyInAnyOrderElementsOf(sent.subList(20, 25).stream().map(EventEnvelope::id).toList());
        again.close();
        dispatcher.close();
        client.close();
    }

    private static EventEnvelope append(PgEventLog events, DomainEvent event) {
        EventEnvelope e = EventEnvelope.of(event, Instant.now());
        db.inTransaction(() -> events.append(e));
        return e;
    }

    private static void awaitSeen(int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (db.withHandle(h -> h.createQuery("SELECT count(*) FROM seen").mapTo(Integer.class).one()) < n) {
            if (System.nanoTime() > deadline) throw new AssertionError("the consumer never stored " + n + " events");
            Thread.sleep(100);
        }
    }
}
