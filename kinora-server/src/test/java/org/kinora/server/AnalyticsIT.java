package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.adapters.postgres.PgAnalyticsRepository;
import org.kinora.core.analytics.AnalyticsIngest;
import org.kinora.core.analytics.AnalyticsRepository;
import org.kinora.core.analytics.PlaybackFold;
import org.kinora.core.analytics.Rollup;

/**
 * Analytics end to end on a real server (embedded PostgreSQL, the real outbox and consumer):
 * scripted play sessions with known watch times, drop-offs, a rewind, an over-fast jump, sources
 * and devices, and one owner play, give exactly the expected figures and retention curve; each
 * play shows up within the stated lag; the rollups equal a computation over the raw events.
 * The domain clock is driven by the test, so the sessions' timings are exact.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AnalyticsIT {
    /** The stated lag: a play is in the figures within views.flush-interval-ms (1 s by default) plus 2 s. */
    static final Duration STATED_LAG = Duration.ofSeconds(3);

    static final String FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
    static final String IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
    static final String CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";
    static final String ANDROID = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36";
    static final String EDGE = CHROME + " Edg/126.0.0.0";

    /** The scale-out engines' settings when {@link ScaledAnalyticsIT} runs these cases; none when embedded. */
    static Map<String, String> extraConfig = Map.of();

    @TempDir
    static Path dir;
    static TestServer server;
    static final AtomicReference<Instant> now = new AtomicReference<>(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    static String alice, bob, carol, videoId;
    static Instant t0;
    static final List<Duration> lags = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(dir.resolve("data"), extraConfig, now::get);
        alice = server.register("alice");
        bob = server.register("bob");
        carol = server.register("carol");
        Path clip = server.clip(dir, "hundred.mp4", 64, 48, 100);
        videoId = server.upload(Files.readAllBytes(clip), alice);
        JsonNode v = server.awaitEnd(videoId, alice);
        assertThat(v.get("status").asText()).isEqualTo("ready");
        assertThat(v.get("duration_seconds").asDouble()).isCloseTo(100, within(0.2));
        // Make the duration exactly 100 s, so each 1 % point is one second (the encode may round by a frame).
        try (var c = java.sql.DriverManager.getConnection(server.kinora.databaseUrl());
             var s = c.prepareStatement("UPDATE videos SET duration_seconds = 100 WHERE id = ?")) {
            s.setString(1, videoId);
            s.executeUpdate();
        }
        t0 = now.get().plusSeconds(60);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    /** One play event at {@code t0 + at} seconds. */
    static void play(String token, String session, String ua, String type, double position, int at, String source, String domain)
            throws Exception {
        now.set(t0.plusSeconds(at));
        StringBuilder body = new StringBuilder("{\"type\":\"" + type + "\",\"position_seconds\":" + position);
        if (session != null) body.append(",\"session_id\":\"").append(session).append('"');
        if (source != null) body.append(",\"source\":\"").append(source).append('"');
        if (domain != null) body.append(",\"referrer_domain\":\"").append(domain).append('"');
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.base + "/api/v1/videos/" + videoId + "/events"))
                .POST(HttpRequest.BodyPublishers.ofString(body.append('}').toString())).header("Content-Type", "application/json")
                .header("User-Agent", ua);
        if (token != null) b.header("Authorization", "Bearer " + token);
        HttpResponse<String> r = server.send(b);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    /** Heartbeats every 10 s of playback from {@code from} to {@code to} (positions), starting at {@code at}. */
    static int watch(String token, String session, String ua, double from, double to, int at, String source, String domain) throws Exception {
        for (double p = from + 10; p <= to; p += 10) {
            at += 10;
            play(token, session, ua, p >= 100 ? "complete" : "heartbeat", p, at, source, domain);
        }
        return at;
    }

    static JsonNode report(String path, String token) throws Exception {
        HttpResponse<String> r = server.get(path, token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestServer.JSON.readTree(r.body());
    }

    /** Waits for the figures to satisfy {@code done} and records how long that took (the lag). */
    static JsonNode awaitFigures(Predicate<JsonNode> done) throws Exception {
        long start = System.nanoTime();
        while (true) {
            JsonNode r = report("/api/v1/videos/" + videoId + "/analytics?range=28d", alice);
            if (done.test(r)) {
                lags.add(Duration.ofNanos(System.nanoTime() - start));
                return r;
            }
            if (System.nanoTime() - start > Duration.ofSeconds(30).toNanos()) throw new AssertionError("figures never got there: " + r);
            Thread.sleep(50);
        }
    }

    static long plays(JsonNode r) {
        return r.get("totals").get("plays").asLong();
    }

    @Test
    @Order(1)
    void scriptedSessionsGiveExactlyTheExpectedFiguresWithinTheStatedLag() throws Exception {
        // S1 bob, from search, Firefox desktop: watches all 100 s. A view.
        play(bob, null, FIREFOX, "start", 0, 0, "search", null);
        watch(bob, null, FIREFOX, 0, 100, 0, "search", null);
        awaitFigures(r -> plays(r) == 1 && r.get("totals").get("views").asLong() == 1);
        // S2 anonymous, embedded on blog.example, iPhone: leaves at 40 s. A view (30 s reached).
        play(null, "session-two", IPHONE, "start", 0, 200, "embed", "www.blog.example");
        watch(null, "session-two", IPHONE, 0, 40, 200, "embed", "blog.example");
        awaitFigures(r -> plays(r) == 2);
        // S3 anonymous, from the home feed, Chrome desktop: leaves at 20 s. A play, not a view.
        play(null, "session-three", CHROME, "start", 0, 400, "home", null);
        watch(null, "session-three", CHROME, 0, 20, 400, "home", null);
        awaitFigures(r -> plays(r) == 3);
        // S4 carol, from a related video, Android: to 30 s, rewinds to 10 s (heartbeat at 30 then seek), watches to 50 s.
        // Watch time 30 + 40 = 70 s; 10–30 s watched twice. Delivered in two batches (the playback state carries over).
        play(carol, null, ANDROID, "start", 0, 600, "related", null);
        int at = watch(carol, null, ANDROID, 0, 30, 600, "related", null);
        awaitFigures(r -> plays(r) == 4 && r.get("totals").get("views").asLong() == 3);
        play(carol, null, ANDROID, "heartbeat", 30, at, "related", null);
        play(carol, null, ANDROID, "seek", 10, at, "related", null);
        watch(carol, null, ANDROID, 10, 50, at, "related", null);
        awaitFigures(r -> r.get("totals").get("watch_hours").asDouble() * 3600 > 189.9);
        // S5 the owner, alice: 60 s. Left out entirely.
        play(alice, null, CHROME, "start", 0, 800, null, null);
        watch(alice, null, CHROME, 0, 60, 800, null, null);
        // S6 anonymous, from news.example, Edge: claims 90 s ten seconds in (faster than double speed: a jump, not
        // watching), then plays 90 → 100. Watch time 10 s; a play, not a view.
        play(null, "session-six", EDGE, "start", 0, 1000, "external", "news.example");
        play(null, "session-six", EDGE, "heartbeat", 90, 1010, "external", "news.example");
        play(null, "session-six", EDGE, "complete", 100, 1020, "external", "news.example");
        JsonNode r = awaitFigures(x -> plays(x) == 5 && x.get("totals").get("watch_hours").asDouble() * 3600 > 239.9);

        JsonNode t = r.get("totals");
        assertThat(t.get("plays").asLong()).isEqualTo(5);
        assertThat(t.get("views").asLong()).isEqualTo(3);
        assertThat(t.get("unique_viewers").asLong()).isEqualTo(3);
        assertThat(t.get("watch_hours").asDouble() * 3600).isCloseTo(240, within(1e-6));
        assertThat(t.get("average_view_duration_seconds").asDouble()).isCloseTo(80, within(1e-6));
        assertThat(t.get("average_view_percentage").asDouble()).isCloseTo(80, within(1e-6));
        assertThat(r.get("previous").get("plays").asLong()).isZero();

        // Passes per 1 % point divided by 5 plays; rewatched 10–30 s counts twice.
        List<Double> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int passes = i < 10 ? 4 : i < 20 ? 5 : i < 30 ? 4 : i < 40 ? 3 : i < 50 ? 2 : i < 90 ? 1 : 2;
            expected.add(passes / 5.0);
        }
        List<Double> curve = new ArrayList<>();
        r.get("retention").forEach(x -> curve.add(x.asDouble()));
        assertThat(curve).isEqualTo(expected);

        Map<String, long[]> dims = new HashMap<>();
        r.get("dimensions").forEach(d -> dims.put(d.get("dimension").asText() + ":" + d.get("value").asText(),
                new long[] {d.get("views").asLong(), d.get("watch_ms").asLong()}));
        assertThat(dims).containsOnlyKeys("source:search", "source:embed", "source:home", "source:related", "source:external",
                "embed:blog.example", "external:news.example", "device:desktop", "device:mobile",
                "browser:firefox", "browser:safari", "browser:chrome", "browser:edge",
                "plays_source:search", "plays_source:embed", "plays_source:home", "plays_source:related", "plays_source:external");
        assertThat(dims.get("source:search")).containsExactly(1, 100_000);
        assertThat(dims.get("source:embed")).containsExactly(1, 40_000);
        assertThat(dims.get("source:home")).containsExactly(0, 20_000);
        assertThat(dims.get("source:related")).containsExactly(1, 70_000);
        assertThat(dims.get("source:external")).containsExactly(0, 10_000);
        assertThat(dims.get("embed:blog.example")).containsExactly(1, 40_000);
        assertThat(dims.get("external:news.example")).containsExactly(0, 10_000);
        assertThat(dims.get("device:desktop")).containsExactly(1, 130_000);
        assertThat(dims.get("device:mobile")).containsExactly(2, 110_000);
        assertThat(dims.get("browser:chrome")).containsExactly(1, 90_000);
        assertThat(dims.get("browser:edge")).containsExactly(0, 10_000);
        assertThat(r.get("countries_available").asBoolean()).as("the bundled IP-to-country database").isTrue();

        // The same figures by hour over 48 hours, and for the channel.
        JsonNode hourly = report("/api/v1/videos/" + videoId + "/analytics?range=48h", alice);
        assertThat(hourly.get("series")).hasSize(48);
        assertThat(hourly.get("totals")).isEqualTo(t);
        JsonNode channel = report("/api/v1/channels/" + userId(alice) + "/analytics?range=90d", alice);
        assertThat(channel.get("series")).hasSize(90);
        assertThat(channel.get("totals").get("views").asLong()).isEqualTo(3);
        assertThat(channel.get("totals").get("watch_hours").asDouble()).isEqualTo(t.get("watch_hours").asDouble());
        assertThat(channel.get("retention").isNull()).isTrue();

        // Realtime: the three views, in the minutes they were counted (S1 at +30 s, S2 at +230 s, S4 at +630 s).
        now.set(t0.plusSeconds(1030));
        JsonNode rt = report("/api/v1/videos/" + videoId + "/analytics/realtime", alice);
        assertThat(rt.get("items")).hasSize(60);
        Map<Instant, Long> perMinute = new HashMap<>();
        rt.get("items").forEach(m -> { if (m.get("views").asLong() > 0) perMinute.put(Instant.parse(m.get("at").asText()), m.get("views").asLong()); });
        Map<Instant, Long> expectedMinutes = new HashMap<>();
        for (int s : new int[] {30, 230, 630}) expectedMinutes.merge(t0.plusSeconds(s).truncatedTo(ChronoUnit.MINUTES), 1L, Long::sum);
        assertThat(perMinute).isEqualTo(expectedMinutes);

        assertThat(lags).allSatisfy(l -> assertThat(l).isLessThan(STATED_LAG));
        System.out.println("analytics lag per check (ms): " + lags.stream().map(Duration::toMillis).toList());
    }

    @Test
    @Order(2)
    void likesCommentsAndSubscribersAreCountedByPeriod() throws Exception {
        now.set(t0.plusSeconds(1100));
        assertThat(server.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/videos/" + videoId + "/rating"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"rating\":\"like\"}")).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + bob)).statusCode()).isEqualTo(200);
        assertThat(server.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/videos/" + videoId + "/rating"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"rating\":\"dislike\"}")).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + carol)).statusCode()).isEqualTo(200);
        assertThat(server.post("/api/v1/videos/" + videoId + "/comments", "{\"text\":\"Nice\"}", bob).statusCode()).isEqualTo(201);
        for (String who : List.of(bob, carol)) {
            assertThat(server.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/channels/" + userId(alice) + "/subscription"))
                    .PUT(HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + who)).statusCode()).isLessThan(300);
        }
        assertThat(server.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/channels/" + userId(alice) + "/subscription"))
                .DELETE().header("Authorization", "Bearer " + carol)).statusCode()).isLessThan(300);
        String path = "/api/v1/channels/" + userId(alice) + "/analytics?range=7d";
        long start = System.nanoTime();
        JsonNode t;
        do {
            Thread.sleep(100);
            t = report(path, alice).get("totals");
        } while (t.get("subscribers_lost").asLong() < 1 && System.nanoTime() - start < 20_000_000_000L);
        assertThat(t.get("likes").asLong()).isEqualTo(1);
        assertThat(t.get("dislikes").asLong()).isEqualTo(1);
        assertThat(t.get("comments").asLong()).isEqualTo(1);
        assertThat(t.get("subscribers_gained").asLong()).isEqualTo(2);
        assertThat(t.get("subscribers_lost").asLong()).isEqualTo(1);

        HttpResponse<String> csv = server.get("/api/v1/channels/" + userId(alice) + "/analytics/csv?range=7d", alice);
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/csv"));
        List<String> lines = csv.body().lines().toList();
        assertThat(lines).hasSize(8);
        assertThat(lines.getFirst()).isEqualTo("day,plays,views,watch_hours,likes,dislikes,comments,subscribers_gained,subscribers_lost");
        long views = lines.stream().skip(1).mapToLong(l -> Long.parseLong(l.split(",")[2])).sum();
        assertThat(views).isEqualTo(3);
    }

    @Test
    @Order(3)
    void onlyTheOwnerSeesAnalyticsAndBadInputIsA400() throws Exception {
        assertThat(server.get("/api/v1/videos/" + videoId + "/analytics", bob).statusCode()).isEqualTo(403);
        assertThat(server.get("/api/v1/channels/" + userId(alice) + "/analytics", bob).statusCode()).isEqualTo(403);
        assertThat(server.get("/api/v1/videos/" + videoId + "/analytics", null).statusCode()).isEqualTo(401);
        HttpResponse<String> bad = server.get("/api/v1/videos/" + videoId + "/analytics?range=3y", alice);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("invalid_range");
        HttpResponse<String> source = server.post("/api/v1/videos/" + videoId + "/events",
                "{\"type\":\"start\",\"session_id\":\"session-bad\",\"source\":\"telepathy\"}", null);
        assertThat(source.statusCode()).isEqualTo(400);
        assertThat(source.body()).contains("invalid_source");
    }

    @Test
    @Order(4)
    void theRollupsEqualAComputationOverTheRawEvents() throws Exception {
        PgAnalyticsRepository repo = new PgAnalyticsRepository(server.kinora.database());
        List<AnalyticsRepository.Raw> raw = new ArrayList<>();
        repo.replayRaw(Instant.EPOCH, now.get().plus(1, ChronoUnit.DAYS), raw::add);
        assertThat(raw).hasSize(39); // every event of the six sessions, the owner's included
        // One pass over the raw events with no stored state, versus the rollups the consumer built batch by batch.
        Rollup fromRaw = new Rollup();
        AnalyticsIngest.fold(raw, repo.videos(List.of(videoId)), Map.of(), fromRaw);
        long plays = 0, views = 0, watch = 0;
        for (Rollup.Counts c : fromRaw.hourly.values()) {
            plays += c.plays;
            views += c.views;
            watch += c.watchMs;
        }
        var day = t0.atZone(java.time.ZoneOffset.UTC).toLocalDate();
        var sums = repo.sums(AnalyticsRepository.Scope.video(videoId), day.minusDays(1), day.plusDays(1));
        assertThat(new long[] {sums.plays(), sums.views(), sums.watchMs()}).containsExactly(plays, views, watch);
        long[] passes = new long[PlaybackFold.POINTS];
        fromRaw.retention.values().forEach(p -> { for (int i = 0; i < p.length; i++) passes[i] += p[i]; });
        assertThat(repo.retention(videoId, day.minusDays(1), day.plusDays(1))).containsExactly(passes);
        Map<String, long[]> dims = new HashMap<>();
        fromRaw.dims.forEach((k, v) -> dims.merge(k.dimension() + ":" + k.value(), v.clone(), (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]}));
        Map<String, long[]> stored = new HashMap<>();
        repo.dimensions(AnalyticsRepository.Scope.video(videoId), day.minusDays(1), day.plusDays(1))
                .forEach(d -> stored.put(d.dimension() + ":" + d.value(), new long[] {d.views(), d.watchMs()}));
        assertThat(stored).containsOnlyKeys(dims.keySet());
        dims.forEach((k, v) -> assertThat(stored.get(k)).as(k).containsExactly(v));
        assertThat(repo.uniqueViewers(AnalyticsRepository.Scope.video(videoId), day.minusDays(1), day.plusDays(1)))
                .isEqualTo(fromRaw.viewers.stream().map(Rollup.Viewer::viewerHash).distinct().count());

        // Delivery is at least once: an outbox event delivered again adds nothing.
        String again = raw.getFirst().eventId();
        List<org.kinora.core.view.PlayEvent> redelivered = raw.stream().filter(x -> x.eventId().equals(again)).map(AnalyticsRepository.Raw::play).toList();
        AnalyticsIngest ingest = new AnalyticsIngest(repo, n -> { });
        server.kinora.database().inTransaction(() -> {
            ingest.handle(new org.kinora.core.events.EventEnvelope(again, t0, new org.kinora.core.events.DomainEvent.VideoPlayed(videoId, redelivered)));
            ingest.flush();
        });
        assertThat(repo.sums(AnalyticsRepository.Scope.video(videoId), day.minusDays(1), day.plusDays(1))).isEqualTo(sums);
    }

    @Test
    @Order(6)
    void afterTheRawRetentionOnlyTheRollupsRemainAndGiveTheSameAnswers() throws Exception {
        JsonNode before = report("/api/v1/videos/" + videoId + "/analytics?range=all", alice);
        // A month later (analytics.raw-retention-days = 30 by default), the hourly pruning task's cut-offs.
        now.set(t0.plus(Duration.ofDays(31)));
        Duration keep = server.config.analytics().rawRetention();
        assertThat(keep).isEqualTo(Duration.ofDays(30));
        PgAnalyticsRepository repo = new PgAnalyticsRepository(server.kinora.database());
        int pruned = repo.prune(now.get().minus(keep), now.get().minus(Duration.ofDays(1)), now.get().minus(Duration.ofHours(6)));
        assertThat(pruned).isPositive();
        List<AnalyticsRepository.Raw> raw = new ArrayList<>();
        repo.replayRaw(Instant.EPOCH, now.get(), raw::add);
        assertThat(raw).as("raw events past their retention").isEmpty();
        // Her token has expired meanwhile: sign in again.
        HttpResponse<String> signIn = server.post("/api/v1/auth/token", "{\"username\":\"alice\",\"password\":\"correct horse\"}", null);
        assertThat(signIn.statusCode()).as(signIn.body()).isEqualTo(200);
        String again = TestServer.JSON.readTree(signIn.body()).get("access_token").asText();
        JsonNode after = report("/api/v1/videos/" + videoId + "/analytics?range=all", again);
        for (String figure : List.of("plays", "views", "unique_viewers", "watch_hours", "average_view_duration_seconds", "likes", "comments")) {
            assertThat(after.get("totals").get(figure)).as(figure).isEqualTo(before.get("totals").get(figure));
        }
        assertThat(after.get("totals").get("views").asLong()).isEqualTo(3);
        assertThat(after.get("retention")).isEqualTo(before.get("retention"));
        assertThat(after.get("dimensions")).isEqualTo(before.get("dimensions"));
    }

    static String userId(String token) throws Exception {
        return report("/api/v1/me", token).get("id").asText();
    }
}
