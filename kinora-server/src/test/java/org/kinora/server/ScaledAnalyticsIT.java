package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinora.server.engines.EmbeddedKafka;
import org.kinora.server.engines.EmbeddedRedis;
import org.kinora.server.engines.S3Engine;

/**
 * Every {@link AnalyticsIT} case on the scale-out engines, with the same expected figures: media
 * in S3, jobs and the event log in Kafka (the outbox relayed to the events topic), the cache in
 * Redis. The analytics consumer then reads the play events from Kafka, not from the outbox, so the
 * scripted sessions, the stated lag, the rollups-equal-raw check and the redelivery check all run
 * through outbox → Kafka → rollups.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ScaledAnalyticsIT extends AnalyticsIT {
    /** Starts the engines before AnalyticsIT's server (and stops them after): extensions wrap @BeforeAll/@AfterAll. */
    @RegisterExtension
    static final Extension ENGINES = new Extension();

    static EmbeddedKafka kafka;

    static final class Extension implements BeforeAllCallback, AfterAllCallback {
        S3Engine s3;
        EmbeddedRedis redis;

        @Override
        public void beforeAll(ExtensionContext context) throws Exception {
            Path engines = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "scaled-analytics-");
            s3 = S3Engine.start(engines.resolve("s3"));
            kafka = new EmbeddedKafka(engines.resolve("kafka"));
            redis = EmbeddedRedis.start();
            Map<String, String> c = new HashMap<>(s3.kinoraConfig("media"));
            c.put("jobs.queue", "kafka");
            c.put("events.relay", "kafka");
            c.put("kafka.bootstrap-servers", kafka.bootstrapServers());
            c.put("kafka.partitions", "2");
            c.put("redis.url", redis.url());
            c.put("cache.type", "redis");
            extraConfig = c;
        }

        @Override
        public void afterAll(ExtensionContext context) throws Exception {
            extraConfig = Map.of();
            if (s3 != null) s3.close();
            if (kafka != null) kafka.close();
            if (redis != null) redis.close();
            kafka = null;
        }
    }

    @Test
    @Order(5)
    void thePlayEventsCameThroughKafkaNotTheOutbox() throws Exception {
        // The analytics consumer never took a position in the outbox...
        try (var c = java.sql.DriverManager.getConnection(server.kinora.databaseUrl());
             var s = c.prepareStatement("SELECT count(*) FROM event_consumers WHERE name = 'analytics'");
             var rs = s.executeQuery()) {
            rs.next();
            assertThat(rs.getLong(1)).as("an outbox checkpoint for analytics").isZero();
        }
        // ...its consumer group committed offsets in the events topic, past every event it was sent.
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            Map<org.apache.kafka.common.TopicPartition, OffsetAndMetadata> offsets =
                    admin.listConsumerGroupOffsets("kinora.events.analytics").partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            assertThat(offsets.keySet()).allSatisfy(p -> assertThat(p.topic()).isEqualTo("kinora.events"));
            assertThat(offsets.values().stream().mapToLong(OffsetAndMetadata::offset).sum()).isPositive();
        }
    }
}
