package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.server.engines.EmbeddedRedis;

/**
 * The video metadata cache against a real Redis: a second read is a hit, a privacy change or a
 * deletion is seen by the very next request of another viewer, and 50 concurrent misses of one
 * video cost one database load. Loads, hits and misses are read from the server's /metrics.
 */
@Timeout(180)
class RedisCacheIT {
    @TempDir
    static Path dir;
    static EmbeddedRedis redis;
    static TestServer server;
    static Api api;
    static String alice;
    static String aliceId;
    static String bob;

    @BeforeAll
    static void start() throws Exception {
        redis = EmbeddedRedis.start();
        server = new TestServer(dir.resolve("data"), Map.of("redis.url", redis.url(), "cache.type", "redis", "worker.concurrency", "0"));
        api = new Api(server);
        alice = server.register("alice");
        aliceId = api.userId(alice);
        bob = server.register("bob");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (redis != null) redis.close();
    }

    static double metric(TestServer s, String name) throws Exception {
        String body = s.get("/metrics", null).body();
        return body.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void theSecondReadIsAHit() throws Exception {
        String id = api.seedVideo(aliceId, "cached", "public", Instant.now());
        double loads = metric(server, "kinora_video_cache_loads_total");
        double hits = metric(server, "kinora_video_cache_hits_total");
        assertThat(api.ok("/api/v1/videos/" + id, bob).get("title").asText()).isEqualTo("cached");
        assertThat(api.ok("/api/v1/videos/" + id, null).get("title").asText()).isEqualTo("cached");
        assertThat(api.ok("/api/v1/videos/" + id, alice).get("title").asText()).isEqualTo("cached");
        assertThat(metric(server, "kinora_video_cache_loads_total") - loads).isEqualTo(1);
        // Each GET reads the entry twice (the video, then its renditions): 1 miss + 5 hits.
        assertThat(metric(server, "kinora_video_cache_hits_total") - hits).isGreaterThanOrEqualTo(5);
    }

    @Test
    void anEditIsSeenAtOnce() throws Exception {
        String id = api.seedVideo(aliceId, "before", "public", Instant.now());
        assertThat(api.ok("/api/v1/videos/" + id, bob).get("title").asText()).isEqualTo("before");
        assertThat(api.patch("/api/v1/videos/" + id, "{\"title\":\"after\"}", alice).status()).isEqualTo(200);
        assertThat(api.ok("/api/v1/videos/" + id, bob).get("title").asText()).isEqualTo("after");
    }

    @Test
    void aVideoMadePrivateIsA404ForOthersOnTheNextRequest() throws Exception {
        String id = api.seedVideo(aliceId, "soon private", "public", Instant.now());
        assertThat(api.get("/api/v1/videos/" + id, bob).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/videos/" + id, null).status()).isEqualTo(200);
        assertThat(api.patch("/api/v1/videos/" + id, "{\"privacy\":\"private\"}", alice).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/videos/" + id, bob).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/videos/" + id, null).status()).isEqualTo(404);
        // The owner still sees it, and the entry that serves her does not leak to others.
        assertThat(api.get("/api/v1/videos/" + id, alice).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/videos/" + id, bob).status()).isEqualTo(404);
    }

    @Test
    void aDeletedVideoIsA404OnTheNextRequest() throws Exception {
        String id = api.seedVideo(aliceId, "soon gone", "public", Instant.now());
        assertThat(api.get("/api/v1/videos/" + id, bob).status()).isEqualTo(200);
        assertThat(api.delete("/api/v1/videos/" + id, alice).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/videos/" + id, bob).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/videos/" + id, alice).status()).isEqualTo(404);
    }

    @Test
    void fiftyConcurrentMissesLoadOnce() throws Exception {
        String id = api.seedVideo(aliceId, "viral", "public", Instant.now());
        double loads = metric(server, "kinora_video_cache_loads_total");
        List<Integer> statuses = Api.concurrently(50, () -> api.get("/api/v1/videos/" + id, null).status());
        assertThat(statuses).hasSize(50).containsOnly(200);
        assertThat(metric(server, "kinora_video_cache_loads_total") - loads).isEqualTo(1);
    }

    @Test
    void healthReportsRedis() throws Exception {
        assertThat(api.ok("/health/ready", null).get("checks").get("redis").asText()).isEqualTo("up");
    }

    @Test
    void whileRedisIsDownReadsAndWritesGoOnAndOnceItIsBackChangesAreSeenAtOnce() throws Exception {
        EmbeddedRedis own = EmbeddedRedis.start();
        try (TestServer node = new TestServer(dir.resolve("crash"), Map.of("redis.url", own.url(), "cache.type", "redis",
                "worker.concurrency", "0"))) {
            Api nodeApi = new Api(node);
            String carol = node.register("carol");
            String id = nodeApi.seedVideo(nodeApi.userId(carol), "cached", "public", Instant.now());
            assertThat(nodeApi.ok("/api/v1/videos/" + id, null).get("title").asText()).isEqualTo("cached");

            own.close(); // SIGKILL: the cache and its connections are gone
            assertThat(nodeApi.ok("/api/v1/videos/" + id, null).get("title").asText()).isEqualTo("cached"); // from the database
            assertThat(nodeApi.patch("/api/v1/videos/" + id, "{\"title\":\"edited while down\"}", carol).status()).isEqualTo(200);
            assertThat(nodeApi.ok("/api/v1/videos/" + id, null).get("title").asText()).isEqualTo("edited while down");
            assertThat(node.get("/health/ready", null).statusCode()).isEqualTo(503);

            own = EmbeddedRedis.startOn(own.port());
            assertThat(nodeApi.ok("/api/v1/videos/" + id, null).get("title").asText()).isEqualTo("edited while down");
            double hits = metric(node, "kinora_video_cache_hits_total");
            assertThat(nodeApi.ok("/api/v1/videos/" + id, null).get("title").asText()).isEqualTo("edited while down");
            assertThat(metric(node, "kinora_video_cache_hits_total")).isGreaterThan(hits); // cached again
            assertThat(nodeApi.patch("/api/v1/videos/" + id, "{\"privacy\":\"private\"}", carol).status()).isEqualTo(200);
            assertThat(nodeApi.get("/api/v1/videos/" + id, null).status()).isEqualTo(404); // invalidation works again
            assertThat(node.get("/health/ready", null).statusCode()).isEqualTo(200);
        } finally {
            own.close();
        }
    }
}
