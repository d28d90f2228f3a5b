package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tus.java.client.TusClient;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.server.engines.EmbeddedKafka;

/**
 * The upload → ready pipeline with transcode jobs dispatched through Kafka and the outbox relayed
 * to Kafka (jobs.queue=kafka, events.relay=kafka): the video becomes ready, its job ran once,
 * and the events topic holds the video's uploaded, published, processed, viewed and rated events.
 */
@Timeout(600)
class KafkaPipelineIT {
    @TempDir
    static Path dir;

    @Test
    void anUploadIsTranscodedThroughKafkaAndItsEventsAreRelayed() throws Exception {
        try (EmbeddedKafka kafka = new EmbeddedKafka(dir.resolve("kafka"));
             TestServer server = new TestServer(dir.resolve("data"), Map.of(
                     "jobs.queue", "kafka", "events.relay", "kafka",
                     "kafka.bootstrap-servers", kafka.bootstrapServers(), "kafka.topic-prefix", "it.",
                     "kafka.partitions", "3", "kafka.session-timeout-ms", "3000", "views.flush-interval-ms", "200"))) {
            String token = server.register("dana");
            Path source = server.clip(dir, "clip.mp4", 640, 360, 4);
            Instant t0 = Instant.now();
            TusClient client = new TusClient();
            client.setUploadCreationURL(URI.create(server.base + "/api/v1/uploads").toURL());
            client.setHeaders(Map.of("Authorization", "Bearer " + token));
            TusUpload upload = new TusUpload(source.toFile());
            upload.setMetadata(Map.of("filename", "clip.mp4", "title", "Through Kafka", "privacy", "public"));
            TusUploader uploader = client.createUpload(upload);
            while (uploader.uploadChunk() > -1) { /* send it all */ }
            uploader.finish();
            String videoId = server.send(HttpRequest.newBuilder(uploader.getUploadURL().toURI())
                            .method("HEAD", HttpRequest.BodyPublishers.noBody())
                            .header("Tus-Resumable", "1.0.0").header("Authorization", "Bearer " + token))
                    .headers().firstValue("Kinora-Video-Id").orElseThrow();

            JsonNode done = server.awaitVideo(videoId, token, Duration.ofSeconds(120), v -> v.get("progress").asInt() == 100);
            System.out.println("upload → ready through Kafka in " + Duration.between(t0, Instant.now()).toMillis() + " ms");
            assertThat(done.get("status").asText()).isEqualTo("ready");
            try (Connection c = DriverManager.getConnection(server.kinora.databaseUrl());
                 ResultSet rs = c.createStatement().executeQuery("SELECT status, attempts, dispatches FROM jobs WHERE kind = 'transcode' AND video_id = '" + videoId + "'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("done");
                assertThat(rs.getInt(2)).as("attempts").isEqualTo(1);
                assertThat(rs.getInt(3)).as("published once").isEqualTo(1);
            }

            // A like and a view; both reach the events topic through the outbox.
            HttpResponse<String> like = server.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/videos/" + videoId + "/rating"))
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"rating\":\"like\"}")).header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + token));
            assertThat(like.statusCode()).isEqualTo(200);
            HttpResponse<String> view = server.post("/api/v1/videos/" + videoId + "/events", "{\"type\":\"start\"}", token);
            assertThat(view.statusCode()).isEqualTo(202);

            List<JsonNode> events = readEvents(kafka, "it.events", videoId,
                    Set.of("video.uploaded", "video.published", "video.processed", "video.rated", "video.viewed"), Duration.ofSeconds(30));
            assertThat(events).extracting(e -> e.get("type").asText())
                    .containsSubsequence("video.uploaded", "video.published", "video.processed");
            JsonNode rated = events.stream().filter(e -> e.get("type").asText().equals("video.rated")).findFirst().orElseThrow();
            assertThat(rated.get("data").get("rating").asText()).isEqualTo("like");

            HttpResponse<String> health = server.get("/health/ready", null);
            assertThat(health.body()).contains("\"kafka\":\"up\"");

            replayADeadJobThroughKafka(server, token, videoId);
        }
    }

    /**
     * The queue's replay promise on Kafka (issue 18b): a one-attempt transcode whose original is
     * missing dies on the worker and goes to jobs.dead; with the original back, the admin replays
     * it and the relay publishes it to the jobs topic again, where the worker runs it to the end.
     */
    private static void replayADeadJobThroughKafka(TestServer server, String admin, String videoId) throws Exception {
        Api api = new Api(server);
        java.nio.file.Path original = server.config.blobDir().resolve(org.kinora.core.blob.BlobKeys.original(videoId));
        java.nio.file.Path aside = original.resolveSibling("aside");
        java.nio.file.Files.move(original, aside);
        long job;
        try (Connection c = DriverManager.getConnection(server.kinora.databaseUrl());
             ResultSet rs = c.createStatement().executeQuery("INSERT INTO jobs (kind, video_id, status, max_attempts) "
                     + "VALUES ('transcode', '" + videoId + "', 'queued', 1) RETURNING id")) {
            rs.next();
            job = rs.getLong(1);
        }
        awaitJob(api, admin, job, "dead");
        java.nio.file.Files.move(aside, original);
        assertThat(api.post("/api/v1/admin/jobs/" + job + "/replay", null, admin).json().get("status").asText()).isEqualTo("queued");
        awaitJob(api, admin, job, "done");
        try (Connection c = DriverManager.getConnection(server.kinora.databaseUrl());
             ResultSet rs = c.createStatement().executeQuery("SELECT dispatches FROM jobs WHERE id = " + job)) {
            rs.next();
            assertThat(rs.getInt(1)).as("published: to jobs, to jobs.dead, to jobs again").isEqualTo(3);
        }
    }

    private static void awaitJob(Api api, String admin, long id, String status) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!api.ok("/api/v1/admin/jobs/" + id, admin).get("status").asText().equals(status)) {
            if (Instant.now().isAfter(deadline)) throw new AssertionError("job " + id + " is not " + status + ": " + api.ok("/api/v1/admin/jobs/" + id, admin));
            Thread.sleep(200);
        }
    }

    /** The video's events on the topic, in partition order, once every wanted type was seen. */
    private static List<JsonNode> readEvents(EmbeddedKafka kafka, String topic, String videoId, Set<String> wanted, Duration timeout)
            throws Exception {
        List<JsonNode> got = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Instant deadline = Instant.now().plus(timeout);
            while (!got.stream().map(e -> e.get("type").asText()).toList().containsAll(wanted)) {
                if (Instant.now().isAfter(deadline)) throw new AssertionError("missing events; got " + got);
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    if (videoId.equals(r.key())) got.add(TestServer.JSON.readTree(r.value()));
                }
            }
        }
        return got;
    }
}
