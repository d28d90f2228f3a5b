package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.server.engines.EmbeddedRedis;
import org.kinora.server.engines.Loopback;

/**
 * Lives across processes, as an operator scales them: a {@code kinora live} process takes the
 * RTMP publisher and holds the live edge; a {@code kinora api} process (another JVM) and a third
 * node serve the live's playlists and parts by forwarding to it, blocking reload included; chat
 * written on one API node reaches a viewer's stream on another over the real Redis bus.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class LiveScaleIT {
    @TempDir
    static Path dir;
    static EmbeddedRedis redis;
    static TestServer hub; // the database, and a third API node (its own RTMP listener stays unused)
    static KinoraNode live;
    static KinoraNode api;
    static int rtmpPort;
    static Process publisher;

    @BeforeAll
    static void start() throws Exception {
        redis = EmbeddedRedis.start();
        hub = new TestServer(dir.resolve("hub"), Map.of("redis.url", redis.url(), "worker.concurrency", "0"));
        Map<String, String> shared = new HashMap<>();
        shared.put("server.host", "127.0.0.1");
        shared.put("database.url", hub.kinora.databaseUrl());
        shared.put("redis.url", redis.url());
        shared.put("auth.secret", TestServer.SECRET);
        shared.put("worker.concurrency", "0");
        shared.put("live.segment-seconds", "1");
        shared.put("live.transcoded-rungs", "0");
        Map<String, String> ingest = new HashMap<>(shared);
        rtmpPort = Loopback.freePort();
        ingest.put("live.rtmp-port", Integer.toString(rtmpPort));
        live = KinoraNode.start("live-ingest", "live", dir.resolve("live"), ingest);
        api = KinoraNode.start("live-api", "api", dir.resolve("api"), shared);
        live.awaitReady(Duration.ofSeconds(120));
        api.awaitReady(Duration.ofSeconds(120));
    }

    @AfterAll
    static void stop() throws Exception {
        if (publisher != null) publisher.destroyForcibly();
        if (live != null) live.close();
        if (api != null) api.close();
        if (hub != null) hub.close();
        if (redis != null) redis.close();
    }

    static HttpResponse<String> get(String url) throws Exception {
        return hub.http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static byte[] bytes(String url) throws Exception {
        HttpResponse<byte[]> r = hub.http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        return r.body();
    }

    @Test
    void anApiNodeServesALiveHeldByTheLiveProcessAndChatCrossesNodesOverRedis() throws Exception {
        String alice = hub.register("alice");
        String bob = hub.register("bob");
        String key = TestServer.JSON.readTree(hub.get("/api/v1/me/live", alice).body()).get("stream_key").asText();
        publisher = LiveIT.publisher(hub, "rtmp://127.0.0.1:" + rtmpPort + "/live/" + key, 40).redirectErrorStream(true)
                .redirectOutput(dir.resolve("ffmpeg.log").toFile()).start();

        // The API process lists the live (the live process wrote its row) and serves its playlists.
        String id = null;
        Instant deadline = Instant.now().plusSeconds(40);
        while (id == null && Instant.now().isBefore(deadline)) {
            JsonNode items = TestServer.JSON.readTree(get(api.base() + "/api/v1/lives").body()).get("items");
            if (!items.isEmpty()) id = items.get(0).get("id").asText();
            else Thread.sleep(200);
        }
        assertThat(id).as("the live started on the live process; log:\n%s", live.logText()).isNotNull();
        HttpResponse<String> master = get(api.base() + "/live/" + id + "/master.m3u8");
        assertThat(master.statusCode()).as(master.body()).isEqualTo(200);
        assertThat(master.body()).contains("source/index.m3u8");
        // The live process serves the live edge only: no other API there.
        assertThat(get(live.base() + "/api/v1/lives").statusCode()).isEqualTo(404);

        // Blocking reload through the API node: ask for the part the last playlist hinted at; the answer lists it.
        String path = "/live/" + id + "/source/index.m3u8";
        for (String node : List.of(api.base(), hub.base)) {
            String playlist = get(node + path).body();
            Matcher hint = LiveIT.HINT.matcher(playlist);
            assertThat(hint.find()).as(playlist).isTrue();
            String part = "p" + hint.group(1) + "." + hint.group(2) + ".m4s";
            assertThat(playlist).doesNotContain("URI=\"" + part + "\",").doesNotContain("URI=\"" + part + "\"\n#EXT-X-PART");
            long t0 = System.nanoTime();
            HttpResponse<String> blocked = get(node + path + "?_HLS_msn=" + hint.group(1) + "&_HLS_part=" + hint.group(2));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(blocked.statusCode()).as(blocked.body()).isEqualTo(200);
            // Held until the part existed, or until the segment ended without it (a keyframe started the next one): RFC 8216bis 6.2.5.2.
            String segment = "\ns" + hint.group(1) + ".m4s\n";
            assertThat(blocked.body().contains("URI=\"" + part + "\"") || blocked.body().contains(segment))
                    .as("held %d ms at %s; answered:\n%s", ms, node, blocked.body()).isTrue();
            // The newest part listed, through this node and straight from the live process: the same bytes.
            Matcher parts = java.util.regex.Pattern.compile("#EXT-X-PART:DURATION=[0-9.]+,URI=\"(p\\d+\\.\\d+\\.m4s)\"").matcher(blocked.body());
            String newest = null;
            while (parts.find()) newest = parts.group(1);
            assertThat(newest).isNotNull();
            byte[] viaNode = bytes(node + "/live/" + id + "/source/" + newest);
            assertThat(viaNode).isEqualTo(bytes(live.base() + "/live/" + id + "/source/" + newest));
            // A preload-hinted part asked for before it exists is held, then served, through this node too (a hint the
            // next keyframe made void is a 404, as the spec allows; the next hint then comes true).
            int served = 0;
            String latest = blocked.body();
            for (int attempt = 0; attempt < 5 && served == 0; attempt++) {
                Matcher next = LiveIT.HINT.matcher(latest);
                assertThat(next.find()).as(latest).isTrue();
                HttpResponse<byte[]> hinted = hub.http.send(HttpRequest.newBuilder(URI.create(node + "/live/" + id + "/source/p" + next.group(1)
                        + "." + next.group(2) + ".m4s")).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(hinted.statusCode()).isIn(200, 404);
                if (hinted.statusCode() == 200) served = hinted.body().length;
                latest = get(node + path).body();
            }
            assertThat(served).as("a hinted part held and served through %s", node).isPositive();
        }

        // The viewers and the publisher are known on the live process; an API node asks it (two distinct viewers, behind the api node).
        for (String ua : List.of("viewer-one", "viewer-two")) {
            HttpResponse<String> r = hub.http.send(HttpRequest.newBuilder(URI.create(api.base() + path)).header("User-Agent", ua).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
        }
        JsonNode seen = TestServer.JSON.readTree(get(api.base() + "/api/v1/lives/" + id).body());
        assertThat(seen.get("publisher_connected").asBoolean()).as(seen.toString()).isTrue();
        assertThat(seen.get("viewers").asInt()).as("viewers counted one by one behind the api node: %s", seen).isGreaterThanOrEqualTo(2);

        // Chat: a viewer's stream on the hub hears what bob writes through the API process (Redis pub/sub between them).
        BlockingQueue<String> heard = new LinkedBlockingQueue<>();
        // Read on a thread of its own: had the answer's headers already come in, thenAccept would run
        // the endless stream read on this thread (it did once, and the test hung to its timeout).
        hub.http.sendAsync(HttpRequest.newBuilder(URI.create(hub.base + "/api/v1/lives/" + id + "/chat/stream"))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines()).thenAcceptAsync(r -> {
                    heard.offer("status " + r.statusCode());
                    r.body().forEach(heard::offer);
                }, task -> Thread.ofVirtual().start(task));
        assertThat(LiveIT.awaitLine(heard, "status")).isEqualTo("status 200");
        Thread.sleep(300);
        HttpResponse<String> posted = hub.http.send(HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/lives/" + id + "/chat"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"body\":\"hello across nodes\"}")).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + bob).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(201);
        assertThat(LiveIT.awaitLine(heard, "hello across nodes")).contains("\"author\":\"bob\"");
        publisher.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
}
