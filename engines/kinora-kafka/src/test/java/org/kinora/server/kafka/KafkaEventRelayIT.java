package org.kinora.server.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.adapters.kafka.KafkaClient;
import org.kinora.adapters.kafka.KafkaEventRelay;
import org.kinora.adapters.kafka.KafkaSettings;
import org.kinora.adapters.postgres.EmbeddedPostgresServer;
import org.kinora.adapters.postgres.PgEventLog;
import org.kinora.adapters.postgres.PostgresDatabase;
import org.kinora.core.events.DomainEvent;
import org.kinora.core.events.EventEnvelope;
import org.kinora.core.events.EventType;
import org.kinora.core.events.EventDispatcher;
import org.kinora.server.engines.EmbeddedKafka;

/**
 * The outbox relayed to a real Kafka: events of committed transactions arrive in order per
 * subject, with their ids; a rolled-back transaction's event never arrives; the broker
 * restarted mid-stream loses nothing and invents nothing (duplicates carry the same id).
 */
@Timeout(180)
class KafkaEventRelayIT {
    @TempDir
    static Path dir;
    static EmbeddedKafka kafka;
    static EmbeddedPostgresServer pg;
    static PostgresDatabase db;
    static final AtomicInteger tests = new AtomicInteger();
    static final ObjectMapper JSON = new ObjectMapper();

    KafkaClient client;
    PgEventLog events;
    EventDispatcher dispatcher;
    String topic;

    @BeforeAll
    static void start() throws Exception {
        kafka = new EmbeddedKafka(dir.resolve("kafka"));
        pg = EmbeddedPostgresServer.start(dir.resolve("pg"), Path.of("target/pg-bin"));
        db = PostgresDatabase.connect(pg.jdbcUrl(), "", "", 8);
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
        pg.close();
        kafka.close();
    }

    @BeforeEach
    void relay() {
        db.useHandle(h -> h.execute("DELETE FROM outbox; DELETE FROM event_consumers"));
        client = new KafkaClient(new KafkaSettings(kafka.bootstrapServers(), "r" + tests.incrementAndGet() + ".", 3, (short) 1,
                "unused", Duration.ofSeconds(10), Duration.ofMinutes(10)));
        topic = client.settings().eventsTopic();
        events = new PgEventLog(db);
        dispatcher = new EventDispatcher(events, Duration.ofMillis(100));
        dispatcher.subscribe(KafkaEventRelay.CONSUMER, Set.of(EventType.VIDEO_UPLOADED, EventType.VIDEO_VIEWED), new KafkaEventRelay(client));
        dispatcher.start();
    }

    @AfterEach
    void close() {
        dispatcher.close();
        client.close();
    }

    /** A video.uploaded of {@code n} bytes or a video.viewed counting {@code n} views. */
    private EventEnvelope append(String type, String subject, int n) {
        DomainEvent event = type.equals("video.uploaded") ? new DomainEvent.VideoUploaded(subject, "u1", n)
                : new DomainEvent.VideoViewed(subject, n);
        EventEnvelope e = EventEnvelope.of(event, Instant.now());
        db.inTransaction(() -> events.append(e));
        return e;
    }

    @Test
    void committedEventsArriveInOrderWithTheirIdsAndARolledBackOneNever() throws Exception {
        List<EventEnvelope> sent = new ArrayList<>();
        for (int i = 0; i < 30; i++) sent.add(append(i % 2 == 0 ? "video.uploaded" : "video.viewed", "video-" + (i % 3), i));
        EventEnvelope ghost = EventEnvelope.of(new DomainEvent.VideoUploaded("video-0", "u1", 0), Instant.now());
        try {
            db.inTransaction(() -> {
                events.append(ghost);
                throw new IllegalStateException("the change failed");
            });
        } catch (IllegalStateException expected) {
            // rolled back with its event
        }
        EventEnvelope last = append("video.uploaded", "video-0", 30);
        sent.add(last);

        List<Received> got = readUntil(sent.stream().map(EventEnvelope::id).toList(), Duration.ofSeconds(30));
        assertThat(got).extracting(Received::id).doesNotContain(ghost.id());
        assertThat(new HashSet<>(got.stream().map(Received::id).toList())).containsExactlyInAnyOrderElementsOf(sent.stream().map(EventEnvelope::id).toList());
        for (String subject : List.of("video-0", "video-1", "video-2")) {
            assertThat(got.stream().filter(r -> r.key().equals(subject)).map(Received::id).distinct().toList())
                    .as("events of %s in the order they committed", subject)
                    .containsExactlyElementsOf(sent.stream().filter(e -> e.subjectId().equals(subject)).map(EventEnvelope::id).toList());
        }
        Received one = got.stream().filter(r -> r.id().equals(last.id())).findFirst().orElseThrow();
        assertThat(one.headerId()).isEqualTo(last.id());
        assertThat(one.json().get("type").asText()).isEqualTo("video.uploaded");
        assertThat(one.json().get("subject_id").asText()).isEqualTo("video-0");
        assertThat(one.json().get("actor_id").asText()).isEqualTo("u1");
        // As stored: PostgreSQL keeps microseconds, rounding to the nearest one (not truncating).
        assertThat(Instant.parse(one.json().get("occurred_at").asText()))
                .isCloseTo(last.occurredAt(), org.assertj.core.api.Assertions.within(1, java.time.temporal.ChronoUnit.MICROS));
        assertThat(one.json().get("data").get("bytes").asText()).isEqualTo("30");
        assertThat(one.json().get("data").size()).isEqualTo(1);
    }

    @Test
    void theBrokerRestartedMidStreamLosesNothingAndInventsNothing() throws Exception {
        List<EventEnvelope> sent = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread writer = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 400; i++) {
                sent.add(append("video.viewed", "video-" + (i % 5), i));
                try {
                    Thread.sleep(40);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        Thread.sleep(1500);
        kafka.kill(); // dies without warning, mid-stream
        // Longer than the producer's delivery timeout (10 s): records of a batch expire while
        // others are still to be sent, the case where an idempotent producer alone reorders.
        Thread.sleep(11_000);
        kafka.start();
        writer.join();
        List<String> ids;
        synchronized (sent) {
            ids = sent.stream().map(EventEnvelope::id).toList();
        }
        List<Received> got = readUntil(ids, Duration.ofSeconds(90));
        Set<String> distinct = new HashSet<>(got.stream().map(Received::id).toList());
        assertThat(distinct).as("every event arrived, none invented").isEqualTo(new HashSet<>(ids));
        System.out.println("broker killed and restarted mid-stream: " + ids.size() + " events, " + got.size()
                + " records (" + (got.size() - distinct.size()) + " duplicates carrying the same id)");
        for (int v = 0; v < 5; v++) {
            String subject = "video-" + v;
            List<String> order = new ArrayList<>(new LinkedHashMap<String, Boolean>() {{
                got.stream().filter(r -> r.key().equals(subject)).forEach(r -> putIfAbsent(r.id(), true));
            }}.keySet());
            assertThat(order).as("first sightings of %s's events in commit order", subject)
                    .containsExactlyElementsOf(sent.stream().filter(e -> e.subjectId().equals(subject)).map(EventEnvelope::id).toList());
        }
    }

    record Received(String key, String id, String headerId, JsonNode json) {}

    /** Reads the whole topic from the start until every wanted id was seen. */
    private List<Received> readUntil(List<String> wanted, Duration timeout) throws Exception {
        List<Received> got = new ArrayList<>();
        Set<String> missing = new HashSet<>(wanted);
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Instant deadline = Instant.now().plus(timeout);
            while (!missing.isEmpty()) {
                if (Instant.now().isAfter(deadline)) throw new AssertionError(missing.size() + " event(s) never arrived: " + missing);
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    JsonNode json = JSON.readTree(r.value());
                    String header = new String(r.headers().lastHeader("event_id").value(), StandardCharsets.UTF_8);
                    got.add(new Received(r.key(), json.get("id").asText(), header, json));
                    missing.remove(json.get("id").asText());
                }
            }
            // Anything else already on the topic (a late duplicate, or an event that should not exist).
            for (int i = 0; i < 3; i++) {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    JsonNode json = JSON.readTree(r.value());
                    got.add(new Received(r.key(), json.get("id").asText(),
                            new String(r.headers().lastHeader("event_id").value(), StandardCharsets.UTF_8), json));
                }
            }
        }
        return got;
    }
}
