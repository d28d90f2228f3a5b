package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.adapters.postgres.EmbeddedPostgresServer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.kinora.server.engines.EmbeddedKafka;
import org.kinora.server.engines.EmbeddedRedis;
import org.kinora.server.engines.S3Engine;
import org.kinora.media.ffmpeg.Ffmpeg;

/**
 * Kinora scaled out on one machine: two {@code kinora api} processes and two {@code kinora worker}
 * processes, each with a data directory of its own, sharing only the engines (PostgreSQL, media in
 * an S3 bucket on s3proxy or, with {@code -Dkinora.s3=ceph}, Ceph RGW, Kafka for jobs and events, Redis for the cache and live updates). A creator starts
 * a tus upload on node 1 and finishes it on node 2, watches processing progress over SSE on
 * node 2, the worker transcoding the video is SIGKILLed and the other one finishes it, and the
 * Kafka broker is restarted meanwhile: the video becomes ready once and every event arrives.
 */
@Timeout(900)
class ScaleOutIT {
    @TempDir
    static Path dir;

    static EmbeddedPostgresServer postgres;
    static S3Engine s3;
    static EmbeddedRedis redis;
    static EmbeddedKafka kafka;
    static final List<KinoraNode> nodes = new ArrayList<>();
    static KinoraNode api1;
    static KinoraNode api2;
    static KinoraNode worker1;
    static KinoraNode worker2;
    static Ffmpeg ffmpeg;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startCluster() throws Exception {
        Path tools = dir.resolve("tools");
        postgres = EmbeddedPostgresServer.start(dir.resolve("pg"), tools.resolve("postgres"));
        s3 = S3Engine.start(dir.resolve("s3"));
        redis = EmbeddedRedis.start();
        kafka = new EmbeddedKafka(dir.resolve("kafka"));
        ffmpeg = Ffmpeg.bundled(tools);
        Map<String, String> shared = sharedConfig();
        api1 = node("api-1", "api", shared);
        api2 = node("api-2", "api", shared);
        // A slower preset keeps the transcode long enough to kill a worker in the middle of it.
        Map<String, String> workers = new HashMap<>(shared);
        workers.put("transcode.x264-preset", "medium");
        worker1 = node("worker-1", "worker", workers);
        worker2 = node("worker-2", "worker", workers);
        for (KinoraNode n : nodes) n.awaitReady(Duration.ofSeconds(90));
    }

    /** What every process is told: the engines to share, and the cluster-wide signing secret. */
    static Map<String, String> sharedConfig() {
        Map<String, String> c = new HashMap<>();
        c.put("server.host", "127.0.0.1");
        c.put("database.url", postgres.jdbcUrl());
        c.putAll(s3.kinoraConfig("scale"));
        c.put("redis.url", redis.url());
        c.put("cache.type", "redis");
        c.put("jobs.queue", "kafka");
        c.put("events.relay", "kafka");
        c.put("kafka.bootstrap-servers", kafka.bootstrapServers());
        c.put("kafka.partitions", "4");
        c.put("kafka.session-timeout-ms", "6000");
        c.put("auth.secret", TestServer.SECRET);
        c.put("worker.lease-seconds", "3");
        c.put("worker.retry-base-seconds", "1");
        return c;
    }

    static KinoraNode node(String name, String role, Map<String, String> config) throws Exception {
        Map<String, String> c = new HashMap<>(config);
        c.put("worker.concurrency", role.equals("worker") ? "1" : "0");
        KinoraNode n = KinoraNode.start(name, role, dir.resolve(name), c);
        nodes.add(n);
        return n;
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (KinoraNode n : nodes) n.close();
        if (postgres != null) postgres.close();
        if (s3 != null) s3.close();
        if (redis != null) redis.close();
        if (kafka != null) kafka.close();
    }

    @Test
    void anUploadStartedOnOneNodeFinishesOnAnotherAndSurvivesAWorkerKill() throws Exception {
        String token = register(api1, "carol");
        Path source = TestServer.clip(ffmpeg, dir, "talk.mp4", 1280, 720, 20);
        byte[] bytes = Files.readAllBytes(source);

        // tus: create and send the first 3 MiB through node 1 ...
        HttpResponse<String> created = send(api1, HttpRequest.newBuilder(URI.create(api1.base() + "/api/v1/uploads"))
                .POST(HttpRequest.BodyPublishers.noBody()).header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", Integer.toString(bytes.length))
                .header("Upload-Metadata", "filename " + b64("talk.mp4")), token);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String path = URI.create(created.headers().firstValue("Location").orElseThrow()).getPath();
        String videoId = created.headers().firstValue("Kinora-Video-Id").orElseThrow();
        int first = 3 << 20;
        assertThat(patch(api1, path, bytes, 0, first, token)).isEqualTo(first);

        // ... then node 2 knows the offset and takes the rest.
        HttpResponse<String> head = send(api2, HttpRequest.newBuilder(URI.create(api2.base() + path))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).header("Tus-Resumable", "1.0.0"), token);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Upload-Offset")).hasValue(Integer.toString(first));
        List<JsonNode> progress = followStatus(api2, videoId, token);
        int offset = first;
        while (offset < bytes.length) offset = patch(api2, path, bytes, offset, Math.min(bytes.length, offset + (4 << 20)), token);

        // The worker that took the job dies in the middle of it; the other one finishes the video.
        awaitVideo(api2, videoId, token, Duration.ofSeconds(90), v -> v.get("progress").asInt() > 2);
        KinoraNode holder = jobHolder();
        KinoraNode other = holder == worker1 ? worker2 : worker1;
        holder.kill();
        // The survivor takes the job over (the group rebalances, the dead worker's lease lapses), and
        // then the broker goes away and comes back while it transcodes.
        awaitLog(other, "job ", videoId, Duration.ofSeconds(60));
        kafka.stop();
        Thread.sleep(2000);
        kafka.start();
        JsonNode done = awaitVideo(api1, videoId, token, Duration.ofSeconds(240),
                v -> v.get("status").asText().equals("failed") || v.get("progress").asInt() == 100);
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("ready");
        assertThat(other.isAlive()).isTrue();
        assertThat(other.logText()).contains(videoId);

        // Node 2's SSE stream showed the progress the workers made, up to ready.
        assertThat(progress).isNotEmpty();
        assertThat(progress.getLast().get("status").asText()).isEqualTo("ready");
        assertThat(progress.stream().map(e -> e.get("progress").asInt()).distinct().count()).isGreaterThan(3);

        // Ready once, and every event of the video that the outbox holds arrived on the events topic once.
        List<String> outbox = outboxEvents(videoId);
        assertThat(outbox.stream().filter(t -> t.startsWith("video.published ")).count()).isEqualTo(1);
        List<String> relayed = awaitRelayed(videoId, outbox.size(), Duration.ofSeconds(60));
        assertThat(relayed).containsExactlyInAnyOrderElementsOf(outbox);

        // The video plays from either node.
        String hls = done.get("playback").get("hls").asText();
        HttpResponse<String> master = send(api1, HttpRequest.newBuilder(URI.create(hls)), null);
        assertThat(master.statusCode()).isEqualTo(200);
        assertThat(master.body()).contains("#EXT-X-STREAM-INF");
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** Waits until the worker's log has a line with both {@code a} and {@code b} (it took the job). */
    static void awaitLog(KinoraNode node, String a, String b, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (node.logText().lines().noneMatch(l -> l.contains(a) && l.contains(b) && l.contains("started"))) {
            if (Instant.now().isAfter(deadline)) throw new AssertionError(node.name + " never took the job; log:\n" + node.logText());
            Thread.sleep(200);
        }
    }

    /** "type event-id" of every outbox event about the video, in the database. */
    static List<String> outboxEvents(String videoId) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl());
             var st = c.prepareStatement("SELECT type, event_id FROM outbox WHERE subject_id = ? ORDER BY tx, id")) {
            st.setString(1, videoId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1) + " " + rs.getString(2));
            }
        }
        return out;
    }

    /**
     * "type event-id" of every record about the video on the events topic, read from the start as
     * a reader should (read_committed), once at least {@code expected} have arrived and the topic
     * has been read to its end.
     */
    static List<String> awaitRelayed(String videoId, int expected, Duration timeout) throws Exception {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor("kinora.events").stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<String> seen = new ArrayList<>();
            Instant deadline = Instant.now().plus(timeout);
            while (true) {
                for (var r : consumer.poll(Duration.ofMillis(300))) {
                    if (!videoId.equals(r.key())) continue;
                    String type = new String(r.headers().lastHeader("event_type").value(), StandardCharsets.UTF_8);
                    String id = new String(r.headers().lastHeader("event_id").value(), StandardCharsets.UTF_8);
                    seen.add(type + " " + id);
                }
                boolean atEnd = consumer.endOffsets(partitions).entrySet().stream()
                        .allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
                if (seen.size() >= expected && atEnd) return seen;
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("only " + seen.size() + " of " + expected + " events relayed: " + seen);
                }
            }
        }
    }

    String register(KinoraNode node, String username) throws Exception {
        String body = "{\"username\":\"" + username + "\",\"email\":\"" + username + "@example.org\",\"password\":\"correct horse\"}";
        HttpResponse<String> r = send(node, HttpRequest.newBuilder(URI.create(node.base() + "/api/v1/auth/register"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json"), null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        HttpResponse<String> t = send(node, HttpRequest.newBuilder(URI.create(node.base() + "/api/v1/auth/token"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + username + "\",\"password\":\"correct horse\"}"))
                .header("Content-Type", "application/json"), null);
        return TestServer.JSON.readTree(t.body()).get("access_token").asText();
    }

    /** One tus PATCH of bytes [from, to); returns the new offset the server reports. */
    int patch(KinoraNode node, String path, byte[] bytes, int from, int to, String token) throws Exception {
        HttpResponse<String> r = send(node, HttpRequest.newBuilder(URI.create(node.base() + path))
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes, from, to - from))
                .header("Tus-Resumable", "1.0.0").header("Upload-Offset", Integer.toString(from))
                .header("Content-Type", "application/offset+octet-stream"), token);
        assertThat(r.statusCode()).as(node.name + " PATCH " + r.body()).isEqualTo(204);
        return Integer.parseInt(r.headers().firstValue("Upload-Offset").orElseThrow());
    }

    /** Collects the video's status events from an SSE stream on {@code node}, in the background. */
    List<JsonNode> followStatus(KinoraNode node, String videoId, String token) {
        List<JsonNode> events = new CopyOnWriteArrayList<>();
        HttpRequest request = HttpRequest.newBuilder(URI.create(node.base() + "/api/v1/videos/" + videoId + "/events"))
                .header("Accept", "text/event-stream").header("Authorization", "Bearer " + token).build();
        // A thread of its own: reading the stream blocks until the server ends it. (A thenAccept on
        // sendAsync would run the reading on the caller's thread whenever the headers came first.)
        Thread.ofVirtual().name("sse-" + node.name).start(() -> {
            try {
                http.send(request, HttpResponse.BodyHandlers.ofLines()).body().forEach(line -> {
                    if (!line.startsWith("data:")) return;
                    try {
                        events.add(TestServer.JSON.readTree(line.substring(5).strip()));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
            } catch (Exception e) {
                throw new IllegalStateException("status stream on " + node.name + " failed", e);
            }
        });
        return events;
    }

    JsonNode awaitVideo(KinoraNode node, String id, String token, Duration timeout, Predicate<JsonNode> done) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            HttpResponse<String> r = send(node, HttpRequest.newBuilder(URI.create(node.base() + "/api/v1/videos/" + id)), token);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode v = TestServer.JSON.readTree(r.body());
            if (done.test(v)) return v;
            if (Instant.now().isAfter(deadline)) throw new AssertionError("video " + id + " did not get there in time: " + v);
            Thread.sleep(200);
        }
    }

    /** The worker process holding the transcode job's lease (its id starts with the pid). */
    KinoraNode jobHolder() throws Exception {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl());
             ResultSet rs = c.createStatement().executeQuery("SELECT lease_owner FROM jobs WHERE status = 'running'")) {
            assertThat(rs.next()).as("a running job").isTrue();
            String owner = rs.getString(1);
            for (KinoraNode w : List.of(worker1, worker2)) {
                if (owner.startsWith(w.pid() + "@")) return w;
            }
            throw new AssertionError("no worker process holds the job; lease owner " + owner);
        }
    }

    HttpResponse<String> send(KinoraNode node, HttpRequest.Builder request, String token) throws Exception {
        if (token != null) request.header("Authorization", "Bearer " + token);
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
