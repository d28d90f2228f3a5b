package org.kinora.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class KafkaConfigTest {
    @Test
    void kafkaIsUnusedByDefaultAndEachConcernSwitchesOnItsOwn() throws Exception {
        KinoraConfig.Kafka d = ConfigLoader.load(Optional.empty(), Map.of(), Map.of()).kafka();
        assertThat(d.used()).isFalse();
        assertThat(d.jobsOnKafka()).isFalse();
        assertThat(d.relaysEvents()).isFalse();

        KinoraConfig.Kafka k = ConfigLoader.load(Optional.empty(), Map.of("KINORA_JOBS_QUEUE", "kafka",
                "KINORA_KAFKA_BOOTSTRAP_SERVERS", "10.0.0.1:9092,10.0.0.2:9092", "KINORA_KAFKA_SESSION_TIMEOUT_MS", "6000"),
                Map.of("kafka.topic-prefix", "prod.kinora.")).kafka();
        assertThat(k.jobsOnKafka()).isTrue();
        assertThat(k.relaysEvents()).isFalse();
        assertThat(k.bootstrapServers()).isEqualTo("10.0.0.1:9092,10.0.0.2:9092");
        assertThat(k.topicPrefix()).isEqualTo("prod.kinora.");
        assertThat(k.sessionTimeout()).isEqualTo(Duration.ofSeconds(6));
        assertThat(ConfigLoader.load(Optional.empty(), Map.of(), Map.of("events.relay", "kafka")).kafka().relaysEvents()).isTrue();
    }

    @Test
    void mistakesNameTheKeyToFix() {
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(), Map.of("jobs.queue", "rabbitmq")))
                .hasMessageContaining("jobs.queue must be 'postgres' or 'kafka'");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(), Map.of("events.relay", "yes")))
                .hasMessageContaining("events.relay must be 'none' or 'kafka'");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(), Map.of("kafka.bootstrap-servers", "localhost")))
                .hasMessageContaining("kafka.bootstrap-servers must be host:port");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(), Map.of("kafka.replication-factor", "0")))
                .hasMessageContaining("kafka.replication-factor must be -1");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(), Map.of("kafka.topic-prefix", "a b")))
                .hasMessageContaining("kafka.topic-prefix");
    }
}
