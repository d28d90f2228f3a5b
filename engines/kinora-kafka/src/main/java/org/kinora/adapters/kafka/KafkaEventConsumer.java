package org.kinora.adapters.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.kinora.core.common.Transactions;
import org.kinora.core.events.EventCodec;
import org.kinora.core.events.EventEnvelope;
import org.kinora.core.events.EventHandler;
import org.kinora.core.events.EventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer of domain events read from the Kafka events topic (what {@link KafkaEventRelay}
 * writes) instead of the PostgreSQL outbox: at scale, a high-volume consumer (analytics) reads the
 * log that scales out, in a consumer group {@code {prefix}events.{consumer}} whose members share
 * the partitions, and leaves the outbox to the relay.
 *
 * <p>Each poll is one batch: its events (of the wanted types) are handed to the handler and
 * {@link EventHandler#flush()}ed inside one database transaction, and only after that commit are
 * the Kafka offsets committed. Crash-safety: a node dying between the two commits reads the batch
 * again, so delivery is at least once, as from the outbox, and the handler deduplicates by event
 * id (the relay may also send an event twice). Reads are {@code read_committed}, so events of an
 * aborted relay transaction are never seen. One subject's events are on one partition (the relay
 * keys by subject id), so they arrive in order.
 *
 * <p>A batch that fails is read again from its first offset after a pause (1 s doubling to 30 s);
 * after {@link #ATTEMPTS} failures in a row, it is delivered one event at a time and an event that
 * still fails is logged and passed over when the handler allows it, so one poisoned event cannot
 * stall the consumer (the outbox dispatcher's rule).
 */
public final class KafkaEventConsumer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KafkaEventConsumer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int ATTEMPTS = 5;

    private final KafkaClient kafka;
    private final Transactions tx;
    private final String consumer;
    private final Set<EventType> types;
    private final EventHandler handler;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile KafkaConsumer<String, byte[]> client;
    private final Thread thread;

    public KafkaEventConsumer(KafkaClient kafka, Transactions tx, String consumer, Set<EventType> types, EventHandler handler) {
        this.kafka = kafka;
        this.tx = tx;
        this.consumer = consumer;
        this.types = Set.copyOf(types);
        this.handler = handler;
        kafka.ensureTopics(List.of(kafka.settings().eventsTopic()));
        this.thread = Thread.ofPlatform().daemon().name("kafka-events-" + consumer).unstarted(this::run);
    }

    /** The consumer group: one per consumer and deployment (topic prefix); keep it stable. */
    public String group() {
        return kafka.settings().topicPrefix() + "events." + consumer;
    }

    public KafkaEventConsumer start() {
        thread.start();
        return this;
    }

    private void run() {
        long pause = 1_000;
        int failures = 0;
        try (KafkaConsumer<String, byte[]> c = kafka.newEventConsumer(group(), 500)) {
            client = c;
            c.subscribe(List.of(kafka.settings().eventsTopic()));
            while (running.get()) {
                ConsumerRecords<String, byte[]> records;
                try {
                    records = c.poll(Duration.ofMillis(500));
                } catch (WakeupException e) {
                    break;
                }
                if (records.isEmpty()) continue;
                try {
                    deliver(records, failures >= ATTEMPTS);
                    c.commitSync(next(records));
                    failures = 0;
                    pause = 1_000;
                } catch (WakeupException e) {
                    break;
                } catch (Exception e) {
                    failures++;
                    log.warn("event consumer {} failed on a batch of {} events (attempt {}), reading it again in {} ms: {}",
                            consumer, records.count(), failures, pause, e.toString());
                    // Back to the batch's first offsets: nothing of it was committed. A partition taken
                    // away meanwhile (a rebalance) is read from its committed offset by its new owner.
                    var assigned = c.assignment();
                    for (TopicPartition p : records.partitions()) {
                        if (assigned.contains(p)) c.seek(p, records.records(p).getFirst().offset());
                    }
                    if (!sleep(pause)) break;
                    pause = Math.min(30_000, pause * 2);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("event consumer {} stopped: {}", consumer, e.toString(), e);
        } finally {
            client = null;
        }
    }

    /** The batch in one transaction; or, after repeated failures, each event in its own, passing over those that still fail. */
    private void deliver(ConsumerRecords<String, byte[]> records, boolean oneByOne) throws Exception {
        List<EventEnvelope> events = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) decode(r).filter(e -> types.contains(e.type())).ifPresent(events::add);
        if (events.isEmpty()) return;
        if (!oneByOne) {
            inTransaction(events);
            return;
        }
        for (EventEnvelope e : events) {
            try {
                inTransaction(List.of(e));
            } catch (Exception failure) {
                if (!handler.mayPassOver()) throw failure;
                log.error("event consumer {} passes over event {} ({} {}), which keeps failing: {}",
                        consumer, e.id(), e.type().wireName(), e.subjectId(), failure.toString(), failure);
            }
        }
    }

    private void inTransaction(List<EventEnvelope> events) throws Exception {
        try {
            tx.inTransaction(() -> {
                try {
                    for (EventEnvelope e : events) handler.handle(e);
                    handler.flush();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new Failed(e);
                }
            });
        } catch (Failed f) {
            throw f.cause;
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> next(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition p : records.partitions()) offsets.put(p, new OffsetAndMetadata(records.records(p).getLast().offset() + 1));
        return offsets;
    }

    /**
     * The relayed event ({@code {"id","type","subject_id","actor_id","occurred_at","data"}}), or
     * empty (logged) when it cannot be read: retrying cannot repair a record.
     */
    static Optional<EventEnvelope> decode(ConsumerRecord<String, byte[]> r) {
        try {
            JsonNode n = JSON.readTree(r.value());
            Map<String, String> data = new LinkedHashMap<>();
            n.path("data").fields().forEachRemaining(e -> data.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
            String actor = n.path("actor_id").isTextual() ? n.get("actor_id").asText() : null;
            return Optional.of(new EventEnvelope(n.get("id").asText(), Instant.parse(n.get("occurred_at").asText()),
                    EventCodec.decode(n.get("type").asText(), n.get("subject_id").asText(), actor, data)));
        } catch (Exception e) {
            log.error("passing over the record at {}-{}@{}, which is not a readable event: {}", r.topic(), r.partition(), r.offset(), e.toString());
            return Optional.empty();
        }
    }

    private boolean sleep(long ms) {
        try {
            Thread.sleep(ms);
            return running.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        KafkaConsumer<String, byte[]> c = client;
        if (c != null) c.wakeup();
        thread.join(2_000);
        if (thread.isAlive()) thread.interrupt(); // in its pause after a failure
        thread.join(8_000);
    }

    /** Carries a handler's checked exception out of the transaction callback, rolling it back. */
    private static final class Failed extends RuntimeException {
        final Exception cause;

        Failed(Exception cause) {
            super(cause);
            this.cause = cause;
        }
    }
}
