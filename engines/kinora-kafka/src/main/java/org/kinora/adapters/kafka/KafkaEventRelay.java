package org.kinora.adapters.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.kinora.core.events.EventCodec;
import org.kinora.core.events.EventEnvelope;
import org.kinora.core.events.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays the outbox to Kafka: subscribed to the {@code EventDispatcher} as consumer
 * {@link #CONSUMER}, it sends each event to the events topic (key = subject id, so one subject's
 * events stay in order on one partition; value = the event as JSON; headers {@code event_id} and
 * {@code event_type}).
 *
 * <p>Each batch is one Kafka transaction (idempotent producer, acks=all), committed in
 * {@link #flush()}, before the dispatcher's checkpoint may move past the batch. An event exists in
 * the outbox only if its transaction committed, so none is invented; none is lost, because the
 * checkpoint never passes an event whose Kafka transaction did not commit, and the relay is never
 * allowed to skip. A transaction, not only an idempotent producer, because when one record of a
 * batch expires while the broker is away, the producer may still write the records after it; the
 * batch is then sent again and, without the abort, a reader would see later events before
 * earlier ones. Readers use {@code isolation.level=read_committed}. A batch whose Kafka commit went
 * through but whose checkpoint did not (the node died in between) is sent again: consumers see a
 * duplicate with the same {@code id} and must deduplicate by it.
 *
 * <p>One transactional id per deployment (topic prefix): only one node relays at a time (the
 * dispatcher locks the checkpoint), and a node that takes over fences the previous one and aborts
 * whatever transaction it left open.
 */
public final class KafkaEventRelay implements EventHandler, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KafkaEventRelay.class);
    /** The dispatcher checkpoint's name; keep it stable. */
    public static final String CONSUMER = "kafka-relay";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaClient kafka;
    private final String transactionalId;
    private Producer<String, byte[]> producer;
    private boolean inTransaction;

    public KafkaEventRelay(KafkaClient kafka) {
        this.kafka = kafka;
        this.transactionalId = kafka.settings().topicPrefix() + "event-relay";
        kafka.ensureTopics(List.of(kafka.settings().eventsTopic()));
    }

    @Override
    public void handle(EventEnvelope event) {
        var record = new ProducerRecord<>(kafka.settings().eventsTopic(), event.subjectId(), toJson(event));
        record.headers().add("event_id", event.id().getBytes(StandardCharsets.UTF_8));
        record.headers().add("event_type", event.type().wireName().getBytes(StandardCharsets.UTF_8));
        try {
            if (producer == null) {
                producer = kafka.newTransactionalProducer(transactionalId);
                producer.initTransactions();
            }
            if (!inTransaction) {
                producer.beginTransaction();
                inTransaction = true;
            }
            producer.send(record);
        } catch (RuntimeException e) {
            reset(); // the batch is abandoned and will be delivered again
            throw e;
        }
    }

    @Override
    public void flush() {
        if (!inTransaction) return; // nothing of this batch was for us
        try {
            producer.commitTransaction(); // flushes, and fails if any record of the batch failed
            inTransaction = false;
        } catch (RuntimeException e) {
            reset();
            throw new IllegalStateException("Kafka did not commit the relayed events: " + e, e);
        }
    }

    @Override
    public boolean mayPassOver() {
        return false;
    }

    /**
     * Drops the producer: its open transaction is aborted when the next one initialises the same
     * id (or by the broker's transaction timeout).
     */
    private void reset() {
        inTransaction = false;
        if (producer == null) return;
        try {
            producer.close(Duration.ZERO);
        } catch (RuntimeException e) {
            log.debug("closing the relay's producer: {}", e.toString());
        }
        producer = null;
    }

    @Override
    public void close() {
        if (producer == null) return;
        try {
            if (inTransaction) producer.abortTransaction();
        } catch (RuntimeException e) {
            log.debug("aborting the relay's open transaction: {}", e.toString());
        }
        producer.close(Duration.ofSeconds(5));
        producer = null;
    }

    /** {@code {"id","type","subject_id","actor_id","occurred_at","data"}}, the outbox row as is ({@link EventCodec}). */
    static byte[] toJson(EventEnvelope e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", e.id());
        n.put("type", e.type().wireName());
        n.put("subject_id", e.subjectId());
        n.put("actor_id", e.actorId());
        n.put("occurred_at", e.occurredAt().toString());
        ObjectNode data = n.putObject("data");
        EventCodec.data(e.event()).forEach(data::put);
        try {
            return JSON.writeValueAsBytes(n);
        } catch (Exception ex) {
            throw new IllegalStateException("event is not serialisable", ex);
        }
    }
}
