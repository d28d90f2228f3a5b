package org.kinora.adapters.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.kinora.core.events.DomainEvent;
import org.kinora.core.events.EventHandler;

/**
 * Relays the outbox to Kafka: subscribed to the {@code EventDispatcher} as consumer
 * {@link #CONSUMER}, it sends each event to the events topic (key = subject id, so one video's
 * events stay in order on one partition; value = the event as JSON; headers {@code event_id} and
 * {@code event_type}) through the idempotent acks=all producer, and {@link #flush()} waits for
 * every acknowledgement before the dispatcher's checkpoint may move past the batch. An event
 * exists in the outbox only if its transaction committed, so none is invented; none is lost,
 * because the checkpoint never passes an unacknowledged one and the relay is never allowed to
 * skip. A batch that failed part-way is sent again: consumers see a duplicate with the same
 * {@code id} and must deduplicate by it.
 */
public final class KafkaEventRelay implements EventHandler {
    /** The dispatcher checkpoint's name; keep it stable. */
    public static final String CONSUMER = "kafka-relay";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaClient kafka;
    private final List<Future<RecordMetadata>> unacknowledged = new ArrayList<>();

    public KafkaEventRelay(KafkaClient kafka) {
        this.kafka = kafka;
        kafka.ensureTopics(List.of(kafka.settings().eventsTopic()));
    }

    @Override
    public void handle(DomainEvent event) {
        var record = new ProducerRecord<>(kafka.settings().eventsTopic(), event.subjectId(), toJson(event));
        record.headers().add("event_id", event.id().getBytes(StandardCharsets.UTF_8));
        record.headers().add("event_type", event.type().getBytes(StandardCharsets.UTF_8));
        try {
            unacknowledged.add(kafka.producer().send(record));
        } catch (RuntimeException e) {
            unacknowledged.clear(); // the batch is abandoned and will be delivered again
            throw e;
        }
    }

    @Override
    public void flush() throws Exception {
        try {
            kafka.producer().flush();
            for (Future<RecordMetadata> ack : unacknowledged) {
                try {
                    ack.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("Kafka did not acknowledge an event: " + e.getCause(), e.getCause());
                }
            }
        } finally {
            unacknowledged.clear();
        }
    }

    @Override
    public boolean mayPassOver() {
        return false;
    }

    /** {@code {"id","type","subject_id","actor_id","occurred_at","data"}}, the outbox row as is. */
    static byte[] toJson(DomainEvent e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", e.id());
        n.put("type", e.type());
        n.put("subject_id", e.subjectId());
        n.put("actor_id", e.actorId());
        n.put("occurred_at", e.occurredAt().toString());
        ObjectNode data = n.putObject("data");
        e.data().forEach(data::put);
        try {
            return JSON.writeValueAsBytes(n);
        } catch (Exception ex) {
            throw new IllegalStateException("event is not serialisable", ex);
        }
    }
}
