package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.WaitForSelectorState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.server.auth.Secrets;
import org.kinora.server.cors.MediaCors;
import org.kinora.server.playback.PlaybackTokens;

/**
 * Debian's nginx with the shipped CDN config (deploy/nginx/cdn) in two tiers, edge → shield →
 * Kinora: viewers with different tokens share one cached copy, the edge refuses bad tokens itself,
 * and a video made private, taken down by a moderator or deleted stops playing from the caches
 * within the stated bound.
 */
@Timeout(240)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EdgeCacheIT {
    /** The takedown bound docs/edge.md states: outbox poll, origin list refresh, one second per tier, margin. */
    static final Duration TAKEDOWN_BOUND = Duration.ofSeconds(4);
    static final int VIEWERS = 200;

    @TempDir
    static Path dir;
    static TestServer server;
    static NginxTier shield;
    static NginxTier edge;
    static PlaybackTokens tokens;
    static byte[] key;
    static String owner;
    static String ownerId;
    static String videoId;
    /** Every file a player fetches for the video, relative to /media/{token}/{video}/. */
    static List<String> objects;

    @BeforeAll
    static void start() throws Exception {
        NginxTier.nginx(); // fail early with the fix when nginx is missing
        server = new TestServer(dir.resolve("kinora"), Map.of());
        owner = server.register("edgeowner");
        ownerId = TestServer.JSON.readTree(server.get("/api/v1/me", owner).body()).get("id").asText();
        Path clip = server.clip(dir, "clip.mp4", 320, 240, 4);
        videoId = server.upload(Files.readAllBytes(clip), owner);
        server.awaitEnd(videoId, owner);

        key = Secrets.load(Optional.of(TestServer.SECRET), dir.resolve("secrets")).derive(PlaybackTokens.KEY_PURPOSE);
        Path keyFile = dir.resolve("playback.key");
        Files.writeString(keyFile, Base64.getEncoder().encodeToString(key) + "\n");
        tokens = new PlaybackTokens(key, Duration.ofHours(1), Instant::now);
        shield = NginxTier.start("shield", dir, server.kinora.port(), keyFile);
        edge = NginxTier.start("edge", dir, shield.port, keyFile);
        objects = MediaObjects.discover(server, server.video(videoId, owner).get("playback").get("hls").asText());
    }

    @AfterAll
    static void stop() {
        if (edge != null) edge.close();
        if (shield != null) shield.close();
        if (server != null) server.close();
    }

    static String mediaUrl(NginxTier tier, String token, String video, String object) {
        return tier.base() + "/media/" + token + "/" + video + "/" + object;
    }

    static HttpResponse<byte[]> fetch(String url) throws Exception {
        return server.http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    static Map<String, Long> originRequestsPerObject() throws Exception {
        return shield.log().stream().filter(NginxTier.LogLine::isObject).filter(NginxTier.LogLine::reachedUpstream)
                .collect(Collectors.groupingBy(NginxTier.LogLine::uri, Collectors.counting()));
    }

    @Test
    @Order(1)
    void twoHundredViewersWithTheirOwnTokensShareOneCachedCopy() throws Exception {
        Map<String, String> bodies = new ConcurrentHashMap<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<String>>> viewers = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int v = 0; v < VIEWERS; v++) {
                String token = tokens.issue(videoId, "viewer-" + v);
                viewers.add(pool.submit(() -> {
                    go.await();
                    List<String> problems = new ArrayList<>();
                    for (String object : objects) {
                        HttpResponse<byte[]> r = fetch(mediaUrl(edge, token, videoId, object));
                        if (r.statusCode() != 200) {
                            problems.add(object + " " + r.statusCode());
                            continue;
                        }
                        String sha = TestServer.sha256(new java.io.ByteArrayInputStream(r.body()));
                        String first = bodies.putIfAbsent(object, sha);
                        if (first != null && !first.equals(sha)) problems.add(object + " differs between viewers");
                    }
                    return problems;
                }));
            }
            go.countDown();
            for (Future<List<String>> f : viewers) assertThat(f.get()).isEmpty();
        }
        // Every cached copy is the origin's bytes.
        for (String object : objects) {
            assertThat(bodies.get(object)).as(object).isEqualTo(server.sha256OfBlob("videos/" + videoId + "/" + object));
        }

        List<NginxTier.LogLine> edgeLines = edge.log().stream().filter(NginxTier.LogLine::isObject).toList();
        assertThat(edgeLines).hasSize(VIEWERS * objects.size());
        long hits = edgeLines.stream().filter(l -> l.cacheStatus().equals("HIT")).count();
        double hitRate = (double) hits / edgeLines.size();
        System.out.printf("EdgeCacheIT: %d viewers x %d objects, edge hit rate %.4f, origin requests %s%n",
                VIEWERS, objects.size(), hitRate, originRequestsPerObject().values());
        assertThat(hitRate).isGreaterThanOrEqualTo(0.99);
        Map<String, Long> origin = originRequestsPerObject();
        assertThat(origin.keySet()).hasSize(objects.size());
        assertThat(origin.values()).allMatch(n -> n == 1);
    }

    @Test
    @Order(2)
    void forgedExpiredAndOtherVideoTokensAreRefusedAtTheEdge() throws Exception {
        String object = objects.get(objects.size() - 1);
        String good = tokens.issue(videoId, null);
        String forged = good.substring(0, good.length() - 2) + (good.endsWith("A") ? "BB" : "AA");
        String expired = new PlaybackTokens(key, Duration.ofMinutes(1), () -> Instant.now().minusSeconds(120)).issue(videoId, null);
        String otherVideo = tokens.issue("0000000000000000000000", null);
        String wrongKey = new PlaybackTokens(new byte[32], Duration.ofHours(1), Instant::now).issue(videoId, null);
        int edgeBefore = edge.log().size();
        int shieldBefore = shield.log().size();
        Map<String, String> refused = Map.of(forged, "invalid_playback_token", expired, "playback_token_expired",
                otherVideo, "invalid_playback_token", wrongKey, "invalid_playback_token", "garbage", "invalid_playback_token");
        for (var e : refused.entrySet()) {
            HttpResponse<byte[]> r = fetch(mediaUrl(edge, e.getKey(), videoId, object));
            assertThat(r.statusCode()).as(e.getKey()).isEqualTo(403);
            assertThat(new String(r.body())).contains(e.getValue());
        }
        List<NginxTier.LogLine> edgeLines = edge.log().subList(edgeBefore, edge.log().size());
        assertThat(edgeLines).hasSize(refused.size()).allMatch(l -> l.status() == 403 && !l.reachedUpstream());
        assertThat(shield.log()).hasSize(shieldBefore); // nothing reached the shield, let alone the origin

        // A player on another site sending CMCD headers preflights every URL: the edge answers it
        // itself with the origin's own preflight headers (it answered 405 before), and nothing goes upstream.
        HttpResponse<byte[]> preflight = server.http.send(HttpRequest.newBuilder(URI.create(mediaUrl(edge, good, videoId, object)))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://player.example")
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "cmcd-request, range").timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).contains("GET, HEAD, OPTIONS");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers")).contains(MediaCors.REQUEST_HEADERS);
        assertThat(preflight.headers().firstValue("Access-Control-Max-Age")).contains("86400");
        assertThat(preflight.headers().firstValue("Timing-Allow-Origin")).contains("*");
        assertThat(shield.log()).hasSize(shieldBefore);

        // A cached answer (every object was cached by the 200 viewers) keeps the origin's CORS headers.
        String segment = objects.stream().filter(p -> p.endsWith(".m4s") || p.endsWith(".ts")).findFirst().orElseThrow();
        HttpResponse<byte[]> cached = fetch(mediaUrl(edge, good, videoId, segment));
        assertThat(cached.statusCode()).isEqualTo(200);
        assertThat(cached.headers().firstValue("X-Kinora-edge-Cache")).contains("HIT");
        assertThat(cached.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        assertThat(cached.headers().firstValue("Timing-Allow-Origin")).contains("*");
        assertThat(cached.headers().firstValue("Access-Control-Expose-Headers")).contains(MediaCors.EXPOSED_HEADERS);
    }

    @Test
    @Order(3)
    void countryRulesAnswer451AtTheEdgeTheOriginAndTheApi() throws Exception {
        String segment = objects.stream().filter(p -> p.endsWith(".m4s") || p.endsWith(".ts")).findFirst().orElseThrow();
        putCountryRules("[]", "[\"de\"]");
        String token = tokens.issue(videoId, null);
        Instant start = Instant.now();
        HttpResponse<byte[]> fromGermany = fetchFrom(mediaUrl(edge, token, videoId, segment), "X-Test-Country", "DE");
        while (fromGermany.statusCode() == 200 && Duration.between(start, Instant.now()).compareTo(TAKEDOWN_BOUND) < 0) {
            Thread.sleep(100);
            fromGermany = fetchFrom(mediaUrl(edge, token, videoId, segment), "X-Test-Country", "DE");
        }
        assertThat(fromGermany.statusCode()).isEqualTo(451);
        assertThat(new String(fromGermany.body())).contains("unavailable_in_country").contains("(DE)");
        int shieldLines = shield.log().size();
        assertThat(fetchFrom(mediaUrl(edge, token, videoId, segment), "X-Test-Country", "DE").statusCode()).isEqualTo(451);
        assertThat(shield.log()).hasSize(shieldLines); // refused at the edge
        assertThat(fetchFrom(mediaUrl(edge, token, videoId, segment), "X-Test-Country", "FR").statusCode()).isEqualTo(200);
        assertThat(fetch(mediaUrl(edge, token, videoId, segment)).statusCode()).isEqualTo(200); // unknown passes a block list

        // The origin and the API, told the country by a trusted proxy (this test runs on loopback, which is one).
        String origin = server.base + "/media/" + token + "/" + videoId + "/" + segment;
        HttpResponse<byte[]> atOrigin = fetchFrom(origin, "X-Kinora-Country", "DE");
        assertThat(atOrigin.statusCode()).isEqualTo(451);
        assertThat(new String(atOrigin.body())).contains("unavailable_in_country");
        assertThat(fetchFrom(server.base + "/api/v1/videos/" + videoId, "X-Kinora-Country", "DE").statusCode()).isEqualTo(451);
        assertThat(fetchFrom(server.base + "/api/v1/videos/" + videoId, "X-Kinora-Country", "FR").statusCode()).isEqualTo(200);
        HttpResponse<String> ownerInGermany = server.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/videos/" + videoId))
                .header("X-Kinora-Country", "DE").header("Authorization", "Bearer " + owner));
        assertThat(ownerInGermany.statusCode()).as("the owner manages the video from anywhere").isEqualTo(200);

        // An allow list refuses a viewer whose country is unknown (127.0.0.1 is in no country).
        putCountryRules("[\"FR\"]", "[]");
        Thread.sleep(1100); // the origin reads rules at most once a second
        assertThat(fetch(origin).statusCode()).isEqualTo(451);
        assertThat(fetchFrom(origin, "X-Kinora-Country", "FR").statusCode()).isEqualTo(200);
        assertThat(watchPageRefusal()).contains("only available in some countries");

        putCountryRules("[]", "[]");
        Thread.sleep(1100);
        assertThat(fetch(origin).statusCode()).isEqualTo(200);
        HttpResponse<String> bad = server.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/videos/" + videoId + "/country-rules"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"blocked_countries\":[\"Germany\"]}"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + owner));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("invalid_countries");
    }

    /** The watch page in Chromium (its country unknown on loopback): the player explains the origin's 451 instead of retrying. */
    private static String watchPageRefusal() {
        try (Chromium chromium = Chromium.launch()) {
            Browser browser = chromium.browser();
            Page page = browser.newPage();
            page.setDefaultTimeout(30_000);
            page.navigate(server.base + "/watch/" + videoId);
            page.waitForSelector("#player-error", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE));
            return page.textContent("#player-error");
        }
    }

    private static void putCountryRules(String allowed, String blocked) throws Exception {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/videos/" + videoId + "/country-rules"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"allowed_countries\":" + allowed + ",\"blocked_countries\":" + blocked + "}"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + owner));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    static HttpResponse<byte[]> fetchFrom(String url, String header, String country) throws Exception {
        return server.http.send(HttpRequest.newBuilder(URI.create(url)).header(header, country).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    @Order(4)
    void privateTakedownAndDeleteStopPlaybackFromTheCachesWithinTheBound() throws Exception {
        String segment = objects.stream().filter(p -> p.endsWith(".m4s") || p.endsWith(".ts")).findFirst().orElseThrow();
        HttpResponse<byte[]> cached = fetch(mediaUrl(edge, tokens.issue(videoId, null), videoId, segment));
        assertThat(cached.headers().firstValue("X-Kinora-edge-Cache")).contains("HIT");

        patchPrivacy("private");
        Duration tookPrivate = awaitRefusedAtEdge(segment);
        System.out.println("EdgeCacheIT: private took effect at the edge after " + tookPrivate.toMillis() + " ms");
        assertThat(tookPrivate).isLessThanOrEqualTo(TAKEDOWN_BOUND);
        // The owner still watches their private video, past the caches.
        HttpResponse<byte[]> own = fetch(mediaUrl(edge, tokens.issue(videoId, ownerId), videoId, segment));
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(own.headers().firstValue("X-Kinora-edge-Cache")).contains("REVOKED");

        // Public again: the edge serves its cached copy again once the list no longer names the video
        // (until then the origin answers). Only then is the delete below a takedown of a cached copy.
        patchPrivacy("public");
        Instant back = Instant.now();
        while (!fetch(mediaUrl(edge, tokens.issue(videoId, null), videoId, segment)).headers()
                .firstValue("X-Kinora-edge-Cache").orElse("").equals("HIT")) {
            assertThat(Duration.between(back, Instant.now())).isLessThanOrEqualTo(TAKEDOWN_BOUND);
            Thread.sleep(50);
        }

        // A moderator's takedown (issue 18: "stops playback at once, including at the edge"): the
        // revocation list names the video, so the edge stops serving its cached copy within the bound,
        // to the owner too; the accepted appeal brings the cached copy back.
        // The owner is the instance's first account, an admin, whom only an admin may act against.
        String moderator = server.register("edgemod");
        String moderatorId = TestServer.JSON.readTree(server.get("/api/v1/me", moderator).body()).get("id").asText();
        assertThat(send("PATCH", "/api/v1/admin/users/" + moderatorId, "{\"role\":\"admin\"}", owner).statusCode()).isEqualTo(200);
        HttpResponse<String> removed = send("POST", "/api/v1/admin/moderation/actions", "{\"kind\":\"video\",\"item_id\":\"" + videoId
                + "\",\"action\":\"remove\",\"reason\":\"Edge takedown test.\"}", moderator);
        assertThat(removed.statusCode()).as(removed.body()).isEqualTo(201);
        Duration tookTakedown = awaitRefusedAtEdge(segment);
        System.out.println("EdgeCacheIT: takedown took effect at the edge after " + tookTakedown.toMillis() + " ms");
        assertThat(tookTakedown).isLessThanOrEqualTo(TAKEDOWN_BOUND);
        assertThat(fetch(mediaUrl(edge, tokens.issue(videoId, ownerId), videoId, segment)).statusCode()).isEqualTo(410);
        String actionId = TestServer.JSON.readTree(removed.body()).get("id").asText();
        assertThat(send("POST", "/api/v1/me/moderation/actions/" + actionId + "/appeal", "{\"message\":\"Test.\"}", owner).statusCode())
                .isEqualTo(201);
        assertThat(send("POST", "/api/v1/admin/moderation/appeals/" + actionId, "{\"decision\":\"accept\",\"reason\":\"Test.\"}",
                moderator).statusCode()).isEqualTo(200);
        Instant restored = Instant.now();
        while (!fetch(mediaUrl(edge, tokens.issue(videoId, null), videoId, segment)).headers()
                .firstValue("X-Kinora-edge-Cache").orElse("").equals("HIT")) {
            assertThat(Duration.between(restored, Instant.now())).isLessThanOrEqualTo(TAKEDOWN_BOUND);
            Thread.sleep(50);
        }

        HttpResponse<String> deleted = server.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/videos/" + videoId))
                .DELETE().header("Authorization", "Bearer " + owner));
        assertThat(deleted.statusCode()).isEqualTo(204);
        Duration tookDelete = awaitRefusedAtEdge(segment);
        System.out.println("EdgeCacheIT: delete took effect at the edge after " + tookDelete.toMillis() + " ms");
        assertThat(tookDelete).isLessThanOrEqualTo(TAKEDOWN_BOUND);
        assertThat(fetch(mediaUrl(edge, tokens.issue(videoId, ownerId), videoId, segment)).statusCode()).isEqualTo(404);
    }

    private static HttpResponse<String> send(String method, String path, String json, String token) throws Exception {
        return server.send(HttpRequest.newBuilder(URI.create(server.base + path)).method(method, HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token));
    }

    private static void patchPrivacy(String privacy) throws Exception {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/videos/" + videoId))
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"privacy\":\"" + privacy + "\"}"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + owner));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    /** Time from now until an anonymous viewer's valid token no longer plays {@code object} through the edge. */
    private static Duration awaitRefusedAtEdge(String object) throws Exception {
        Instant start = Instant.now();
        while (fetch(mediaUrl(edge, tokens.issue(videoId, null), videoId, object)).statusCode() == 200) {
            if (Duration.between(start, Instant.now()).compareTo(TAKEDOWN_BOUND.multipliedBy(3)) > 0) break;
            Thread.sleep(50);
        }
        return Duration.between(start, Instant.now());
    }
}
