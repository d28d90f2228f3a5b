package org.kinora.server.engines;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fixture itself: a record written before a restart is read after it, on the same address. */
class EmbeddedKafkaIT {
    @TempDir
    static Path dir;

    @Test
    void keepsItsDataAndAddressAcrossARestart() throws Exception {
        long t0 = System.nanoTime();
        try (EmbeddedKafka kafka = new EmbeddedKafka(dir.resolve("kafka"))) {
            System.out.println("EmbeddedKafka started in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            String bootstrap = kafka.bootstrapServers();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                admin.createTopics(List.of(new NewTopic("t", 1, (short) 1))).all().get();
            }
            try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("t", "k", "before")).get();
            }
            long t1 = System.nanoTime();
            kafka.restart();
            System.out.println("EmbeddedKafka restarted in " + (System.nanoTime() - t1) / 1_000_000 + " ms");
            assertThat(kafka.bootstrapServers()).isEqualTo(bootstrap);
            try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.GROUP_ID_CONFIG, "g", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                    new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(Set.of("t"));
                List<String> seen = new ArrayList<>();
                long deadline = System.currentTimeMillis() + 20_000;
                while (seen.isEmpty() && System.currentTimeMillis() < deadline) {
                    consumer.poll(Duration.ofMillis(500)).forEach(r -> seen.add(r.value()));
                }
                assertThat(seen).containsExactly("before");
            }
        }
    }
}
