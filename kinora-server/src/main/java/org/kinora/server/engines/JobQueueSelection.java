package org.kinora.server.engines;

import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.kinora.adapters.kafka.JobRelay;
import org.kinora.adapters.kafka.KafkaClient;
import org.kinora.adapters.kafka.KafkaEventConsumer;
import org.kinora.adapters.kafka.KafkaEventRelay;
import org.kinora.adapters.kafka.KafkaJobQueue;
import org.kinora.adapters.kafka.KafkaSettings;
import org.kinora.adapters.postgres.PgJobQueue;
import org.kinora.adapters.postgres.PostgresDatabase;
import org.kinora.core.events.EventDispatcher;
import org.kinora.core.jobs.JobQueue;
import org.kinora.core.jobs.Worker;
import org.kinora.server.config.KinoraConfig;

/**
 * Selects the job queue and the event relay the configuration names: the PostgreSQL table and no
 * relay by default, Kafka for either or both. Connects to Kafka only when something uses it.
 */
final class JobQueueSelection implements AutoCloseable {
    private final KafkaClient client;
    private final JobRelay jobRelay;
    private final JobQueue queue;
    private final boolean relayEvents;
    private KafkaEventRelay eventRelay;

    private JobQueueSelection(KafkaClient client, JobRelay jobRelay, JobQueue queue, boolean relayEvents) {
        this.client = client;
        this.jobRelay = jobRelay;
        this.queue = queue;
        this.relayEvents = relayEvents;
    }

    static JobQueueSelection select(KinoraConfig.Kafka config, PostgresDatabase db) {
        if (!config.used()) return new JobQueueSelection(null, null, new PgJobQueue(db), false);
        KafkaClient client = new KafkaClient(new KafkaSettings(config.bootstrapServers(), config.topicPrefix(),
                config.partitions(), (short) config.replicationFactor(), config.consumerGroup(), config.sessionTimeout(),
                config.redispatchAfter()));
        try {
            if (!config.jobsOnKafka()) return new JobQueueSelection(client, null, new PgJobQueue(db), config.relaysEvents());
            var s = client.settings();
            client.ensureTopics(java.util.List.of(s.jobsTopic(), s.priorityJobsTopic(), s.deadJobsTopic()));
            JobRelay relay = new JobRelay(db, client, Duration.ofSeconds(1), config.publishedPerAccount());
            // Prefetch one record: the rest wait in Kafka, where any worker of the group can get them.
            KafkaJobQueue queue = new KafkaJobQueue(db, client, relay, 1);
            relay.start();
            return new JobQueueSelection(client, relay, queue, config.relaysEvents());
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    JobQueue jobQueue() { return queue; }

    /** Records arriving from Kafka wake the worker instead of waiting for its next poll. */
    void wake(Worker worker) {
        if (queue instanceof KafkaJobQueue k) k.onArrival(worker::wakeUp);
    }

    /** Subscribes the outbox relay to Kafka (consumer {@code kafka-relay}) when configured. */
    void relayEvents(EventDispatcher dispatcher) {
        if (!relayEvents) return;
        eventRelay = new KafkaEventRelay(client);
        dispatcher.subscribe(KafkaEventRelay.CONSUMER, RelayedEvents.TYPES, eventRelay);
    }

    /**
     * When events are relayed to Kafka: {@code handler} reads them from the events topic (consumer
     * group {@code {prefix}events.{consumer}}), started; otherwise empty (the caller uses the outbox).
     */
    java.util.Optional<KafkaEventConsumer> consumeRelayed(String consumer, java.util.Set<org.kinora.core.events.EventType> types,
            org.kinora.core.events.EventHandler handler, PostgresDatabase db) {
        if (!relayEvents) return java.util.Optional.empty();
        return java.util.Optional.of(new KafkaEventConsumer(client, db, consumer, types, handler).start());
    }

    /** A "kafka" readiness check when Kafka is in use. */
    void addHealthChecks(Map<String, BooleanSupplier> checks) {
        if (client != null) checks.put("kafka", client::isReachable);
    }

    @Override
    public void close() {
        if (queue instanceof KafkaJobQueue k) k.close();
        if (jobRelay != null) jobRelay.close();
        if (eventRelay != null) eventRelay.close();
        if (client != null) client.close();
    }
}
