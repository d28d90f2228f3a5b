package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.core.blob.BlobKeys;

/**
 * Scheduled and permanent lives, the chat kept with the replay, and the DVR window beyond memory,
 * on a real server published to by ffmpeg over RTMP: a live scheduled ahead (title, description,
 * thumbnail, start time) is "upcoming" until the channel publishes, then the same id (and page)
 * is the live and subscribers are told; chat messages carry their offset from the start into the
 * replay; segments that left the three-segment memory window are listed and served from the blob
 * store, and delta playlists skip the old ones; the channel's permanent page follows it to its
 * next live with the same key; the replay's watch page (Chromium) shows the chat in time with
 * playback; SRT with the stream key as passphrase.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveScheduleIT {
    @TempDir
    static Path dir;
    static TestServer server;
    static String alice;
    static String bob;
    static String key;
    static String rtmp;
    static String scheduledId;
    static Process publisher;
    static final List<Instant> chatSentAt = new ArrayList<>();
    static int srtPort;

    @BeforeAll
    static void start() throws Exception {
        // Pass-through only, 1 s segments, three of them in memory, one minute of DVR: the spill shows within seconds.
        srtPort = org.kinora.server.engines.Loopback.freePort();
        server = new TestServer(dir.resolve("data"), Map.of("live.segment-seconds", "1", "live.transcoded-rungs", "0",
                "live.window-segments", "3", "live.dvr-minutes", "1", "live.x264-preset", "ultrafast",
                "live.srt-ports", srtPort + "-" + srtPort));
        alice = server.register("alice");
        bob = server.register("bob");
        HttpResponse<String> sub = server.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/channels/@alice/subscription"))
                .PUT(HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + bob));
        assertThat(sub.statusCode()).as(sub.body()).isBetween(200, 204);
    }

    @AfterAll
    static void stop() {
        if (publisher != null) publisher.destroyForcibly();
        if (server != null) server.close();
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return TestServer.JSON.readTree(r.body());
    }

    static Process publish(int seconds) throws Exception {
        return LiveIT.publisher(server, rtmp + "/" + key, seconds).redirectErrorStream(true)
                .redirectOutput(dir.resolve("ffmpeg-" + System.nanoTime() + ".log").toFile()).start();
    }

    @Test
    @Order(1)
    void aLiveScheduledAheadIsUpcomingWithItsThumbnailAndPage() throws Exception {
        assertThat(server.post("/api/v1/me/lives", "{\"title\":\"Speedrun\",\"starts_at\":\"tomorrow\"}", alice).statusCode()).isEqualTo(400);
        assertThat(server.post("/api/v1/me/lives", "{\"title\":\"\",\"starts_at\":\"" + Instant.now().plusSeconds(600) + "\"}", alice)
                .statusCode()).isEqualTo(400);
        assertThat(server.post("/api/v1/me/lives", "{\"title\":\"Past\",\"starts_at\":\"" + Instant.now().minusSeconds(3600) + "\"}", alice)
                .statusCode()).isEqualTo(400);
        assertThat(server.post("/api/v1/me/lives", "{\"title\":\"x\",\"starts_at\":\"" + Instant.now().plusSeconds(600) + "\"}", null)
                .statusCode()).isEqualTo(401);
        Instant startsAt = Instant.now().plusSeconds(600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        HttpResponse<String> created = server.post("/api/v1/me/lives",
                "{\"title\":\"Speedrun\",\"description\":\"Any% tonight\",\"starts_at\":\"" + startsAt + "\"}", alice);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode u = json(created);
        scheduledId = u.get("id").asText();
        assertThat(u.get("state").asText()).isEqualTo("upcoming");
        assertThat(Instant.parse(u.get("scheduled_for").asText())).isEqualTo(startsAt);
        assertThat(u.get("page_url").asText()).isEqualTo("/live/" + scheduledId);

        // The thumbnail: any picture, stored as a 1280×720 JPEG the server made.
        BufferedImage img = new BufferedImage(320, 180, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(img, "png", png);
        HttpResponse<String> thumb = server.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/me/lives/" + scheduledId + "/thumbnail"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(png.toByteArray())).header("Content-Type", "image/png")
                .header("Authorization", "Bearer " + alice));
        assertThat(thumb.statusCode()).as(thumb.body()).isEqualTo(200);
        String thumbUrl = json(thumb).get("thumbnail_url").asText();
        HttpResponse<byte[]> image = server.http.send(HttpRequest.newBuilder(URI.create(server.base + thumbUrl)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(image.headers().firstValue("Content-Type").orElse("")).isEqualTo("image/jpeg");
        BufferedImage stored = ImageIO.read(new java.io.ByteArrayInputStream(image.body()));
        assertThat(stored.getWidth()).isEqualTo(1280);
        assertThat(stored.getHeight()).isEqualTo(720);
        // Bob may not touch alice's live; what is no picture is a 415, not a 500.
        assertThat(server.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/me/lives/" + scheduledId + "/thumbnail"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(png.toByteArray())).header("Authorization", "Bearer " + bob)).statusCode()).isEqualTo(404);
        assertThat(server.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/me/lives/" + scheduledId + "/thumbnail"))
                .PUT(HttpRequest.BodyPublishers.ofString("not a picture")).header("Authorization", "Bearer " + alice)).statusCode()).isEqualTo(415);

        JsonNode page = json(server.get("/api/v1/channels/@alice/live", null));
        assertThat(page.get("live").isNull()).isTrue();
        assertThat(page.get("upcoming").get(0).get("id").asText()).isEqualTo(scheduledId);
        assertThat(page.get("upcoming").get(0).get("description").asText()).isEqualTo("Any% tonight");
        HttpResponse<String> master = server.get("/live/" + scheduledId + "/master.m3u8", null);
        assertThat(master.statusCode()).as("not started yet").isEqualTo(503);
        assertThat(master.body()).contains("live_not_started");
        assertThat(server.post("/api/v1/lives/" + scheduledId + "/chat", "{\"body\":\"early\"}", bob).statusCode()).isEqualTo(409);
        assertThat(server.get("/live/" + scheduledId, null).statusCode()).isEqualTo(200);
        assertThat(server.get("/live/@alice", null).statusCode()).as("the permanent page").isEqualTo(200);

        // Another one, cancelled: gone from the list; a started live cannot be cancelled (below).
        String other = json(server.post("/api/v1/me/lives", "{\"title\":\"Later\",\"starts_at\":\"" + startsAt.plusSeconds(86400) + "\"}", alice))
                .get("id").asText();
        assertThat(server.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/me/lives/" + other)).DELETE()
                .header("Authorization", "Bearer " + alice)).statusCode()).isEqualTo(204);
        assertThat(json(server.get("/api/v1/me/lives", alice)).get("items")).hasSize(1);
    }

    @Test
    @Order(2)
    void publishingTurnsTheScheduledLiveIntoTheLiveAndTellsSubscribers() throws Exception {
        JsonNode me = json(server.get("/api/v1/me/live", alice));
        key = me.get("stream_key").asText();
        rtmp = me.get("server_url").asText();
        publisher = publish(14); // ten minutes early: within the hour, so the scheduled live starts
        JsonNode live = awaitState(scheduledId, "live");
        assertThat(live.get("title").asText()).isEqualTo("Speedrun");
        assertThat(json(server.get("/api/v1/channels/@alice/live", null)).get("live").get("id").asText()).isEqualTo(scheduledId);
        Instant deadline = Instant.now().plusSeconds(15);
        boolean told = false;
        while (!told && Instant.now().isBefore(deadline)) {
            for (JsonNode n : json(server.get("/api/v1/notifications", bob)).get("items")) {
                told |= n.get("type").asText().equals("live_started") && n.get("video_id").asText().equals(scheduledId);
            }
            if (!told) Thread.sleep(200);
        }
        assertThat(told).as("bob is told the scheduled live started").isTrue();
        assertThat(server.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/me/lives/" + scheduledId)).DELETE()
                .header("Authorization", "Bearer " + alice)).statusCode()).isEqualTo(409);
        for (String text : List.of("first!", "nice run")) {
            chatSentAt.add(Instant.now());
            HttpResponse<String> sent = server.post("/api/v1/lives/" + scheduledId + "/chat", "{\"body\":\"" + text + "\"}", bob);
            assertThat(sent.statusCode()).as(sent.body()).isEqualTo(201);
            Thread.sleep(2500);
        }
    }

    @Test
    @Order(3)
    void segmentsBeyondTheMemoryWindowAreListedAndServedFromTheBlobStore() throws Exception {
        String path = "/live/" + scheduledId + "/source/index.m3u8";
        String playlist = "";
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            playlist = server.get(path, null).body();
            if (count(playlist, "#EXTINF") >= 8) break;
            Thread.sleep(300);
        }
        // Three segments in memory, the older ones from the spill: all listed from the first.
        assertThat(count(playlist, "#EXTINF")).as(playlist).isGreaterThanOrEqualTo(8);
        assertThat(playlist).contains("#EXT-X-MEDIA-SEQUENCE:0\n", "\ns0.m4s\n", "CAN-SKIP-UNTIL=").doesNotContain("p0.0.m4s");
        assertThat(server.kinora.blobs().stat(BlobKeys.liveDvrSegment(scheduledId, "source", 0))).isPresent();
        HttpResponse<byte[]> s0 = server.http.send(HttpRequest.newBuilder(URI.create(server.base + "/live/" + scheduledId + "/source/s0.m4s")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(s0.statusCode()).isEqualTo(200);
        assertThat(new String(s0.body(), 4, 4, StandardCharsets.ISO_8859_1)).as("an fMP4 fragment").isEqualTo("moof");
        assertThat(s0.headers().firstValue("Cache-Control").orElse("")).contains("immutable");
        // A delta update leaves the old segments out (hls.js asks for one when CAN-SKIP-UNTIL is there).
        // The skip boundary is six target durations: wait until the playlist is longer than that.
        Pattern skipped = Pattern.compile("#EXT-X-SKIP:SKIPPED-SEGMENTS=(\\d+)");
        String delta = "";
        Matcher skip = skipped.matcher(delta);
        boolean found = false;
        deadline = Instant.now().plusSeconds(20);
        while (!found && Instant.now().isBefore(deadline)) {
            delta = server.get(path + "?_HLS_skip=YES", null).body();
            skip = skipped.matcher(delta);
            found = skip.find();
            if (!found) Thread.sleep(300);
        }
        assertThat(found).as(delta).isTrue();
        assertThat(Integer.parseInt(skip.group(1))).isPositive();
        assertThat(delta).doesNotContain("\ns0.m4s\n").contains("#EXT-X-MEDIA-SEQUENCE:0\n");
        assertThat(server.get(path + "?_HLS_skip=maybe", null).statusCode()).isEqualTo(400);
    }

    @Test
    @Order(4)
    void theReplayKeepsTheChatInTimeWithPlayback() throws Exception {
        assertThat(publisher.waitFor(60, TimeUnit.SECONDS)).isTrue();
        JsonNode ended = awaitState(scheduledId, "ended");
        String replay = ended.get("replay_video_id").asText();
        Instant startedAt = Instant.parse(ended.get("started_at").asText());
        JsonNode video = server.awaitVideo(replay, alice, Duration.ofSeconds(120),
                v -> v.get("status").asText().equals("failed") || v.get("status").asText().equals("ready"));
        assertThat(video.get("status").asText()).as(video.toString()).isEqualTo("ready");
        assertThat(video.get("title").asText()).isEqualTo("Speedrun");
        assertThat(video.get("description").asText()).isEqualTo("Any% tonight");

        JsonNode chat = json(server.get("/api/v1/videos/" + replay + "/live-chat", null));
        assertThat(chat.get("live_id").asText()).isEqualTo(scheduledId);
        JsonNode items = chat.get("items");
        assertThat(items).hasSize(2);
        assertThat(items.get(0).get("body").asText()).isEqualTo("first!");
        assertThat(items.get(0).get("author").asText()).isNotBlank();
        for (int i = 0; i < 2; i++) {
            long expected = Duration.between(startedAt, chatSentAt.get(i)).toMillis();
            assertThat((double) items.get(i).get("offset_ms").asLong()).as("offset of message %d", i).isCloseTo(expected, within(1500.0));
        }
        long second = items.get(1).get("offset_ms").asLong();
        assertThat(second - items.get(0).get("offset_ms").asLong()).isGreaterThanOrEqualTo(2000);
        JsonNode later = json(server.get("/api/v1/videos/" + replay + "/live-chat?from_ms=" + second, null)).get("items");
        assertThat(later).hasSize(1);
        assertThat(server.get("/api/v1/videos/" + replay + "/live-chat?from_ms=-1", null).statusCode()).isEqualTo(400);
        replayChatFollowsPlaybackOnTheWatchPage(replay, items.get(0).get("offset_ms").asLong(), second);
        assertThat(server.get("/api/v1/videos/nosuchvideo0/live-chat", null).statusCode()).isEqualTo(404);
    }

    @Test
    @Order(5)
    void thePermanentPageFollowsTheChannelToItsNextLiveWithTheSameKey() throws Exception {
        publisher = publish(4);
        Instant deadline = Instant.now().plusSeconds(30);
        JsonNode now = null;
        while (Instant.now().isBefore(deadline)) {
            now = json(server.get("/api/v1/channels/@alice/live", null)).get("live");
            if (!now.isNull()) break;
            Thread.sleep(200);
        }
        assertThat(now.isNull()).as("the channel is live again").isFalse();
        assertThat(now.get("id").asText()).as("a new session, not the scheduled one").isNotEqualTo(scheduledId);
        assertThat(publisher.waitFor(60, TimeUnit.SECONDS)).isTrue();
        JsonNode page = awaitNoLive();
        assertThat(page.get("recent")).extracting(n -> n.get("id").asText()).contains(now.get("id").asText(), scheduledId);
    }

    /** The replay's watch page in Chromium: the chat panel shows the messages written up to the playback position. */
    static void replayChatFollowsPlaybackOnTheWatchPage(String replay, long firstMs, long secondMs) {
        try (Chromium chromium = Chromium.launch()) {
            com.microsoft.playwright.Browser browser = chromium.browser();
            com.microsoft.playwright.Page page = browser.newPage();
            page.setDefaultTimeout(30_000);
            List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
            page.onPageError(e -> errors.add("uncaught: " + e));
            page.navigate(server.base + "/watch/" + replay);
            page.waitForSelector("#replay-chat:not([hidden])");
            BrowserFlowIT.waitUntil(page, "window.kinoraPlayer.video.readyState >= 1 && document.getElementById('replay-chat-list').dataset.shown !== undefined");
            // At the start nothing was written yet; after the second message's moment both are there; back before it, one.
            page.evaluate("() => { window.kinoraPlayer.video.pause(); window.kinoraPlayer.video.currentTime = 0; }");
            BrowserFlowIT.waitUntil(page, "document.getElementById('replay-chat-list').dataset.shown === '0'");
            page.evaluate("s => { window.kinoraPlayer.video.currentTime = s; }", secondMs / 1000.0 + 0.5);
            BrowserFlowIT.waitUntil(page, "document.getElementById('replay-chat-list').dataset.shown === '2'");
            assertThat(page.textContent("#replay-chat-list")).contains("first!", "nice run");
            page.evaluate("s => { window.kinoraPlayer.video.currentTime = s; }", (firstMs + secondMs) / 2000.0);
            BrowserFlowIT.waitUntil(page, "document.getElementById('replay-chat-list').dataset.shown === '1'");
            assertThat(page.textContent("#replay-chat-list")).contains("first!").doesNotContain("nice run");
            assertThat(errors).isEmpty();
        }
    }

    /** ffmpeg as an SRT caller (what OBS's SRT output is), MPEG-TS over SRT with AES-128 and this passphrase. */
    static Path srtLog;

    static Process srtPublish(String url, int seconds) throws Exception {
        srtLog = dir.resolve("srt-" + System.nanoTime() + ".log");
        return server.ffmpeg().processBuilder(List.of("-hide_banner", "-nostdin", "-loglevel", "error", "-re",
                "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", Integer.toString(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "30",
                "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "mpegts", url)).redirectErrorStream(true)
                .redirectOutput(srtLog.toFile()).start();
    }

    @Test
    @Order(6)
    void srtWithTheStreamKeyAsPassphraseGoesLiveAndAWrongPassphraseIsRefusedAtTheHandshake() throws Exception {
        assertThat(server.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/me/live/srt")).PUT(HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Bearer " + bob)).statusCode()).as("bob gets the port").isEqualTo(200);
        // One port in the range, and bob has it: alice gets a precise 409 until he lets it go.
        HttpResponse<String> full = server.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/me/live/srt"))
                .PUT(HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + alice));
        assertThat(full.statusCode()).as(full.body()).isEqualTo(409);
        assertThat(server.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/me/live/srt")).DELETE()
                .header("Authorization", "Bearer " + bob)).statusCode()).isEqualTo(200);
        HttpResponse<String> on = server.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/me/live/srt"))
                .PUT(HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + alice));
        assertThat(on.statusCode()).as(on.body()).isEqualTo(200);
        String url = json(on).get("srt_url").asText();
        assertThat(url).isEqualTo("srt://127.0.0.1:" + srtPort + "?passphrase=" + key + "&pbkeylen=16");
        // Asked with a forged Host, the SRT URL names localhost, not that host (live.public-rtmp-url unset).
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.kinora.port())) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(("GET /api/v1/me/live HTTP/1.1\r\nHost: evil.example\r\nAuthorization: Bearer " + alice
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).startsWith("HTTP/1.1 200")
                    .doesNotContain("evil.example").contains("\"srt_url\":\"srt://localhost:" + srtPort + "?passphrase=");
        }
        Thread.sleep(4000); // the ingest starts the channel's listener within 3 s

        Process wrong = srtPublish("srt://127.0.0.1:" + srtPort + "?passphrase=" + "x".repeat(20) + "&pbkeylen=16", 4);
        assertThat(wrong.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(wrong.exitValue()).as("a caller with another passphrase is refused").isNotZero();
        // libsrt's own words for the rejection during the handshake (key exchange): "REJECT … Incorrect passphrase".
        assertThat(java.nio.file.Files.readString(srtLog)).contains("Incorrect passphrase");
        assertThat(json(server.get("/api/v1/channels/@alice/live", null)).get("live").isNull()).isTrue();

        publisher = srtPublish(url, 8);
        Instant deadline = Instant.now().plusSeconds(40);
        JsonNode now = null;
        while (Instant.now().isBefore(deadline)) {
            now = json(server.get("/api/v1/channels/@alice/live", null)).get("live");
            if (!now.isNull()) break;
            Thread.sleep(200);
        }
        assertThat(now.isNull()).as("live over SRT").isFalse();
        String playlist = awaitSegment("/live/" + now.get("id").asText() + "/source/index.m3u8");
        assertThat(playlist).contains("#EXT-X-PART:", "#EXTINF:");
        assertThat(publisher.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    static String awaitSegment(String path) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        String body = "";
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> r = server.get(path, null);
            body = r.body();
            if (r.statusCode() == 200 && body.contains("#EXTINF:")) return body;
            Thread.sleep(300);
        }
        throw new AssertionError("no segment over SRT: " + body);
    }

    static JsonNode awaitNoLive() throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            JsonNode page = json(server.get("/api/v1/channels/@alice/live", null));
            if (page.get("live").isNull()) return page;
            Thread.sleep(200);
        }
        throw new AssertionError("the second live did not end");
    }

    static int count(String s, String needle) {
        return s.split(Pattern.quote(needle), -1).length - 1;
    }

    static JsonNode awaitState(String id, String state) throws Exception {
        Instant deadline = Instant.now().plusSeconds(40);
        JsonNode live = null;
        while (Instant.now().isBefore(deadline)) {
            live = json(server.get("/api/v1/lives/" + id, null));
            if (live.get("state").asText().equals(state) && (!state.equals("ended") || !live.get("replay_video_id").isNull())) return live;
            Thread.sleep(200);
        }
        throw new AssertionError("the live did not become " + state + ": " + live);
    }
}
