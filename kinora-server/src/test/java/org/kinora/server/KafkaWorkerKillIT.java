package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tus.java.client.TusClient;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.server.config.ConfigLoader;
import org.kinora.server.config.KinoraConfig;
import org.kinora.server.engines.EmbeddedKafka;

/**
 * Jobs on Kafka: a `kinora worker` process is SIGKILLed mid-transcode. It had not committed the
 * job's record, so once the group notices (session timeout) the record goes to the other worker,
 * which takes the job over after the dead one's lease lapsed, and the video becomes ready.
 */
@Timeout(600)
class KafkaWorkerKillIT {
    @TempDir
    static Path dir;

    @Test
    void aJobHeldByAKilledWorkerIsRedeliveredToAnotherMemberOfTheGroup() throws Exception {
        try (EmbeddedKafka kafka = new EmbeddedKafka(dir.resolve("kafka"));
             TestServer server = new TestServer(dir.resolve("data"), Map.of("worker.concurrency", "0", "worker.lease-seconds", "3",
                     "jobs.queue", "kafka", "kafka.bootstrap-servers", kafka.bootstrapServers(), "kafka.partitions", "3"))) {
            String token = server.register("erin");
            Path source = server.clip(dir, "long.mp4", 1280, 720, 12);
            KinoraNode doomed = startWorkerProcess(server, kafka);
            try {
                TusClient client = new TusClient();
                client.setUploadCreationURL(URI.create(server.base + "/api/v1/uploads").toURL());
                client.setHeaders(Map.of("Authorization", "Bearer " + token));
                TusUploader uploader = client.createUpload(new TusUpload(source.toFile()));
                uploader.setChunkSize(1 << 20);
                while (uploader.uploadChunk() > -1) { /* send it all */ }
                uploader.finish();
                String videoId = server.send(HttpRequest.newBuilder(uploader.getUploadURL().toURI())
                                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                                .header("Tus-Resumable", "1.0.0").header("Authorization", "Bearer " + token))
                        .headers().firstValue("Kinora-Video-Id").orElseThrow();

                server.awaitVideo(videoId, token, Duration.ofSeconds(90), v -> v.get("progress").asInt() > 2);
                doomed.kill();
                Instant killed = Instant.now();
                assertThat(server.video(videoId, token).get("progress").asInt()).isLessThan(100);

                KinoraConfig workerConfig = ConfigLoader.load(Optional.empty(), Map.of(), Map.of(
                        "data.dir", server.dataDir.toString(), "database.url", server.kinora.databaseUrl(),
                        "worker.lease-seconds", "3", "transcode.x264-preset", "ultrafast",
                        "jobs.queue", "kafka", "kafka.bootstrap-servers", kafka.bootstrapServers(), "kafka.session-timeout-ms", "3000"));
                try (Kinora worker = Kinora.start(workerConfig, Kinora.Role.WORKER)) {
                    JsonNode done = server.awaitVideo(videoId, token, Duration.ofSeconds(150), v -> v.get("progress").asInt() == 100);
                    assertThat(done.get("status").asText()).isEqualTo("ready");
                    assertThat(done.get("renditions").findValuesAsText("name")).containsExactly("240p", "360p", "480p", "720p");
                }
                System.out.println("the killed worker's video was ready " + Duration.between(killed, Instant.now()).toMillis()
                        + " ms after the kill");
                try (Connection c = DriverManager.getConnection(server.kinora.databaseUrl());
                     ResultSet rs = c.createStatement().executeQuery("SELECT attempts, status, dispatches FROM jobs WHERE kind = 'transcode'")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).as("attempts").isEqualTo(2);
                    assertThat(rs.getString(2)).isEqualTo("done");
                    assertThat(rs.getInt(3)).as("published once; the second attempt came from Kafka's redelivery").isEqualTo(1);
                    assertThat(rs.next()).isFalse();
                }
            } finally {
                doomed.kill();
            }
        }
    }

    /** `kinora worker` in its own JVM, sharing the test server's database and blob directory. */
    private static KinoraNode startWorkerProcess(TestServer server, EmbeddedKafka kafka) throws Exception {
        return KinoraNode.start("kafka-worker-kill-it", "worker", server.dataDir, Map.of(
                "database.url", server.kinora.databaseUrl(),
                "worker.lease-seconds", "3",
                "transcode.x264-preset", "medium",
                "jobs.queue", "kafka",
                "kafka.bootstrap-servers", kafka.bootstrapServers(),
                "kafka.session-timeout-ms", "3000"));
    }
}
