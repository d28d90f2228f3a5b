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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.server.engines.EmbeddedRedis;

/**
 * Two Kinora nodes sharing one database, one blob directory and one Redis: node A serves pages
 * and runs no jobs, node B serves too and runs the worker. A page open on A sees what B does.
 */
@Timeout(600)
class TwoNodeRedisIT {
    @TempDir
    static Path dir;
    static EmbeddedRedis redis;
    static TestServer a;
    static TestServer b;
    static Api onA;
    static Api onB;

    @BeforeAll
    static void start() throws Exception {
        redis = EmbeddedRedis.start();
        a = new TestServer(dir.resolve("data"), Map.of("redis.url", redis.url(), "cache.type", "redis", "worker.concurrency", "0"));
        // Same data dir (blobs, unpacked ffmpeg), the database A started, its own port and worker.
        b = new TestServer(a.dataDir, Map.of("redis.url", redis.url(), "cache.type", "redis", "worker.concurrency", "1",
                "database.url", a.kinora.databaseUrl()));
        onA = new Api(a);
        onB = new Api(b);
    }

    @AfterAll
    static void stop() {
        if (b != null) b.close();
        if (a != null) a.close();
        if (redis != null) redis.close();
    }

    @Test
    void aNotificationCausedOnNodeBReachesTheStreamOpenOnNodeA() throws Exception {
        String alice = a.register("alice");
        String bob = a.register("bob");
        String video = onA.seedVideo(onA.userId(alice), "alice's video", "public", Instant.now());
        try (ChannelsIT.SseStream stream = ChannelsIT.SseStream.openPath(a, "/api/v1/notifications/stream?access_token=" + alice)) {
            stream.next("unread", Duration.ofSeconds(10)); // subscribed
            long start = System.nanoTime();
            assertThat(onB.post("/api/v1/videos/" + video + "/comments", "{\"text\":\"hello from B\"}", bob).status()).isEqualTo(201);
            JsonNode n = stream.next("notification", Duration.ofSeconds(10));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(n.get("type").asText()).isEqualTo("comment");
            assertThat(n.get("video_id").asText()).isEqualTo(video);
            // Event delivery polls every 0.25 s; pub/sub adds about a millisecond.
            assertThat(took).isLessThan(Duration.ofSeconds(5));
            System.out.println("TwoNodeRedisIT: notification from node B on node A's stream after " + took.toMillis() + " ms");
        }
    }

    @Test
    void theStatusStreamOnNodeAFollowsTheWorkerOnNodeB() throws Exception {
        String carol = a.register("carol");
        Path source = a.clip(dir, "clip.mp4", 640, 360, 8);
        TusClient client = new TusClient();
        client.setUploadCreationURL(URI.create(a.base + "/api/v1/uploads").toURL());
        client.setHeaders(Map.of("Authorization", "Bearer " + carol));
        TusUploader uploader = client.createUpload(new TusUpload(source.toFile()));
        uploader.setChunkSize(1 << 20);
        while (uploader.uploadChunk() > -1) { /* send it all */ }
        uploader.finish();
        HttpResponse<String> head = a.send(HttpRequest.newBuilder(uploader.getUploadURL().toURI())
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("Tus-Resumable", "1.0.0").header("Authorization", "Bearer " + carol));
        String id = head.headers().firstValue("Kinora-Video-Id").orElseThrow();

        List<JsonNode> events = new ArrayList<>();
        List<Long> at = new ArrayList<>();
        try (ChannelsIT.SseStream stream = ChannelsIT.SseStream.openPath(a, "/api/v1/videos/" + id + "/events?access_token=" + carol)) {
            while (true) {
                JsonNode e = stream.next("status", Duration.ofSeconds(180));
                events.add(e);
                at.add(System.nanoTime());
                if (e.get("status").asText().equals("ready") && e.get("progress").asInt() == 100) break;
                assertThat(e.get("status").asText()).isIn("processing", "ready");
            }
        }
        List<Integer> progress = events.stream().map(e -> e.get("progress").asInt()).toList();
        assertThat(progress).isSorted();
        double seconds = (at.getLast() - at.getFirst()) / 1e9;
        // Polling alone (every 2 s) could send at most one event per poll; more means the worker's
        // changes on node B woke the stream on node A through Redis.
        long pollsPossible = (long) Math.floor(seconds / 2.0) + 1;
        System.out.println("TwoNodeRedisIT: " + events.size() + " status events in " + Math.round(seconds * 10) / 10.0
                + " s on node A (polling alone: at most " + pollsPossible + "): " + progress);
        assertThat(events.size()).isGreaterThan((int) pollsPossible);
        assertThat(onA.ok("/api/v1/videos/" + id, carol).get("status").asText()).isEqualTo("ready");
    }

    @Test
    void concurrentMissesOnBothNodesLoadOnce() throws Exception {
        String dave = a.register("dave");
        String id = onA.seedVideo(onA.userId(dave), "viral on two nodes", "public", Instant.now());
        double before = RedisCacheIT.metric(a, "kinora_video_cache_loads_total") + RedisCacheIT.metric(b, "kinora_video_cache_loads_total");
        AtomicInteger n = new AtomicInteger();
        List<Integer> statuses = Api.concurrently(50, () -> (n.getAndIncrement() % 2 == 0 ? onA : onB).get("/api/v1/videos/" + id, null).status());
        assertThat(statuses).containsOnly(200);
        double after = RedisCacheIT.metric(a, "kinora_video_cache_loads_total") + RedisCacheIT.metric(b, "kinora_video_cache_loads_total");
        assertThat(after - before).isEqualTo(1);
        // And a privacy change on one node is a 404 on the other at once.
        assertThat(onB.patch("/api/v1/videos/" + id, "{\"privacy\":\"private\"}", dave).status()).isEqualTo(200);
        assertThat(onA.get("/api/v1/videos/" + id, null).status()).isEqualTo(404);
    }
}
