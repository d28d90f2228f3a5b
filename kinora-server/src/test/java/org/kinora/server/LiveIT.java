package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live end to end on a real server, published by the unmodified ffmpeg RTMP client (the
 * protocol OBS speaks) from a generated source with a burned-in clock: wrong key refused with
 * nothing created; the LL-HLS playlist's tags; blocking reload that waits for the part and
 * answers at once for one that exists; a second publisher refused; the publisher dropping and
 * coming back within the grace period (same live, a discontinuity); the end, and the replay
 * becoming a ready video as long as the live.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveIT {
    static final Pattern HINT = Pattern.compile("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"p(\\d+)\\.(\\d+)\\.m4s\"");
    static final Path FONT = Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf");

    @TempDir
    static Path dir;
    static TestServer server;
    static String alice;
    static String bob;
    static String key;
    static String rtmp;
    static Process first;
    static String liveId;
    static String rendition;
    static Path lastLog;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(dir.resolve("data"), Map.of("live.segment-seconds", "1", "live.transcoded-rungs", "1",
                "live.reconnect-grace-seconds", "15", "live.x264-preset", "ultrafast"));
        alice = server.register("alice");
        bob = server.register("bob");
        HttpResponse<String> sub = server.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.base + "/api/v1/channels/@alice/subscription"))
                .PUT(java.net.http.HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + bob));
        assertThat(sub.statusCode()).as(sub.body()).isBetween(200, 204);
        JsonNode me = TestServer.JSON.readTree(server.get("/api/v1/me/live", alice).body());
        key = me.get("stream_key").asText();
        rtmp = me.get("server_url").asText();
    }

    @AfterAll
    static void stop() {
        if (first != null) first.destroyForcibly();
        if (server != null) server.close();
    }

    static Process publish(String streamKey, int seconds) throws Exception {
        lastLog = dir.resolve("ffmpeg-" + System.nanoTime() + ".log");
        return publisher(server, rtmp + "/" + streamKey, seconds).redirectErrorStream(true).redirectOutput(lastLog.toFile()).start();
    }

    /** ffmpeg publishing in real time a test pattern with the wall-clock time drawn on it (when the font is there) and a tone. */
    static ProcessBuilder publisher(TestServer server, String url, int seconds) {
        String video = "testsrc2=size=640x360:rate=30" + (Files.exists(FONT)
                ? ",drawtext=fontfile=" + FONT + ":text='%{localtime\\:%X}':fontsize=40:fontcolor=white:box=1:boxcolor=black:x=20:y=20" : "");
        return server.ffmpeg().processBuilder(List.of("-hide_banner", "-nostdin", "-loglevel", "error", "-re",
                "-f", "lavfi", "-i", video, "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", Integer.toString(seconds),
                "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "30", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "96k", "-f", "flv", url));
    }

    static int sessions() throws Exception {
        try (Connection c = DriverManager.getConnection(server.kinora.databaseUrl());
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM live_sessions")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    @Order(1)
    void aWrongKeyIsRefusedAtTheProtocolAndNothingIsCreated() throws Exception {
        assertThat(rtmp).startsWith("rtmp://127.0.0.1:").endsWith("/live");
        assertThat(key).matches("live_[A-Za-z0-9]{28}");
        Process p = publish("live_" + "x".repeat(28), 2);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("ffmpeg must fail on a refused publish").isNotZero();
        // Refused at publish, with the reason as the NetStream.Publish.BadName description ffmpeg prints.
        assertThat(Files.readString(lastLog)).contains("Unknown or revoked stream key");
        assertThat(sessions()).isZero();
        assertThat(TestServer.JSON.readTree(server.get("/api/v1/lives", null).body()).get("items")).isEmpty();
    }

    @Test
    @Order(2)
    void ffmpegGoesLiveAndTheMediaPlaylistIsLowLatencyHls() throws Exception {
        first = publish(key, 120);
        JsonNode live = awaitLive();
        liveId = live.get("id").asText();
        HttpResponse<String> master = server.get("/live/" + liveId + "/master.m3u8", null);
        assertThat(master.statusCode()).isEqualTo(200);
        assertThat(master.headers().firstValue("Content-Type").orElse("")).contains("mpegurl");
        // The 640x360 H.264/AAC source passes through; one rung (240p) is transcoded below it, never above.
        assertThat(master.body()).contains("RESOLUTION=640x360", "source/index.m3u8", "240p/index.m3u8").doesNotContain("480p", "720p");
        rendition = "source";
        String playlist = awaitSegments(3);
        assertThat(playlist).startsWith("#EXTM3U").contains("#EXT-X-VERSION:9", "#EXT-X-TARGETDURATION:",
                "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=0.999", "#EXT-X-PART-INF:PART-TARGET=0.333",
                "#EXT-X-MEDIA-SEQUENCE:0", "#EXT-X-MAP:URI=\"init.mp4\"", "#EXT-X-PROGRAM-DATE-TIME:", "#EXT-X-PART:DURATION=",
                ",INDEPENDENT=YES", "#EXTINF:", "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"p").doesNotContain("#EXT-X-ENDLIST");
        // Every part lasts at most the part target.
        Matcher parts = Pattern.compile("#EXT-X-PART:DURATION=([0-9.]+)").matcher(playlist);
        int n = 0;
        while (parts.find()) {
            assertThat(Double.parseDouble(parts.group(1))).isLessThanOrEqualTo(0.334);
            n++;
        }
        assertThat(n).isGreaterThanOrEqualTo(6);
        // The program date time is the wall clock of capture, seconds ago, not hours.
        Matcher pdt = Pattern.compile("#EXT-X-PROGRAM-DATE-TIME:(\\S+)").matcher(playlist);
        assertThat(pdt.find()).isTrue();
        assertThat(Duration.between(Instant.parse(pdt.group(1)), Instant.now()).abs()).isLessThan(Duration.ofSeconds(30));
        // Init, a part and a whole segment are fMP4.
        assertThat(server.get("/live/" + liveId + "/source/init.mp4", null).body()).contains("ftyp");
        assertThat(server.get("/live/" + liveId + "/source/p0.0.m4s", null).body()).contains("moof");
        HttpResponse<String> seg = server.get("/live/" + liveId + "/source/s0.m4s", null);
        assertThat(seg.statusCode()).isEqualTo(200);
        assertThat(seg.headers().firstValue("Cache-Control").orElse("")).contains("immutable");
        assertThat(server.get("/live/" + liveId + "/240p/init.mp4", null).statusCode()).isEqualTo(200);
        // Bob, a subscriber, is told that alice went live, with a link to the live.
        Instant deadline = Instant.now().plusSeconds(15);
        JsonNode notice = null;
        while (notice == null && Instant.now().isBefore(deadline)) {
            for (JsonNode note : TestServer.JSON.readTree(server.get("/api/v1/notifications", bob).body()).get("items")) {
                if (note.get("type").asText().equals("live_started") && note.get("video_id").asText().equals(liveId)) notice = note;
            }
            if (notice == null) Thread.sleep(200);
        }
        assertThat(notice).as("bob's go-live notification").isNotNull();
        assertThat(notice.get("message").asText()).contains("is live");
    }

    @Test
    @Order(3)
    void blockingReloadWaitsForThePartAndAnswersAtOnceWhenItExists() throws Exception {
        String path = "/live/" + liveId + "/source/index.m3u8";
        // The hinted part does not exist yet: the reload is held until it does, then lists it. On a
        // loaded machine the part may be cut between reading the hint and sending the reload (then
        // the answer is rightly immediate), so the hold is looked for over a few attempts.
        int msn = 0;
        int part = 0;
        long waitedMs = 0;
        for (int attempt = 0; attempt < 5 && waitedMs <= 20; attempt++) {
            String now = server.get(path, null).body();
            Matcher hint = HINT.matcher(now);
            assertThat(hint.find()).as(now).isTrue();
            msn = Integer.parseInt(hint.group(1));
            part = Integer.parseInt(hint.group(2));
            long t0 = System.nanoTime();
            HttpResponse<String> blocked = server.get(path + "?_HLS_msn=" + msn + "&_HLS_part=" + part, null);
            waitedMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(blocked.statusCode()).isEqualTo(200);
            assertThat(blocked.body()).contains("URI=\"p" + msn + "." + part + ".m4s\"");
            assertThat(waitedMs).as("answered once the part was cut").isLessThan(1500);
        }
        assertThat(waitedMs).as("held until the part was cut (in one of 5 attempts)").isGreaterThan(20);
        // A part that exists: at once.
        long t0 = System.nanoTime();
        HttpResponse<String> ready = server.get(path + "?_HLS_msn=" + msn + "&_HLS_part=" + part, null);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(200);
        // The preload-hinted part itself can be asked for before it exists: held, then served.
        Matcher next = HINT.matcher(ready.body());
        assertThat(next.find()).isTrue();
        HttpResponse<String> hinted = server.get("/live/" + liveId + "/source/p" + next.group(1) + "." + next.group(2) + ".m4s", null);
        assertThat(hinted.statusCode()).isEqualTo(200);
        assertThat(hinted.body()).contains("moof");
        // Far ahead of the live edge, or malformed: 400 at once.
        assertThat(server.get(path + "?_HLS_msn=" + (msn + 50), null).statusCode()).isEqualTo(400);
        assertThat(server.get(path + "?_HLS_msn=abc", null).statusCode()).isEqualTo(400);
        assertThat(server.get(path + "?_HLS_part=1", null).statusCode()).isEqualTo(400);
    }

    @Test
    @Order(4)
    void aSecondPublisherWithTheSameKeyIsRefusedWhileLive() throws Exception {
        Process second = publish(key, 3);
        assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(second.exitValue()).isNotZero();
        assertThat(Files.readString(lastLog)).contains("live already");
        assertThat(first.isAlive()).isTrue();
        assertThat(sessions()).isEqualTo(1);
        JsonNode me = TestServer.JSON.readTree(server.get("/api/v1/me/live", alice).body());
        assertThat(me.get("live").get("id").asText()).isEqualTo(liveId);
        assertThat(me.get("health").get("frame_rate").asDouble()).isGreaterThan(10);
        assertThat(me.get("health").get("keyframe_interval_seconds").asDouble()).isBetween(0.9, 1.1);
    }

    @Test
    @Order(6)
    void aDroppedPublisherComingBackContinuesTheSameLiveThenTheEndMakesAReplay() throws Exception {
        first.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // the socket drops: no unpublish
        Instant dropped = Instant.now();
        Thread.sleep(3000);
        JsonNode during = TestServer.JSON.readTree(server.get("/api/v1/lives/" + liveId, null).body());
        assertThat(during.get("state").asText()).isEqualTo("live");
        assertThat(during.get("publisher_connected").asBoolean()).isFalse();
        Process back = publish(key, 4);
        Instant reconnected = null;
        for (Instant until = Instant.now().plusSeconds(20); reconnected == null && Instant.now().isBefore(until); Thread.sleep(50)) {
            if (TestServer.JSON.readTree(server.get("/api/v1/lives/" + liveId, null).body()).get("publisher_connected").asBoolean()) {
                reconnected = Instant.now();
            }
        }
        assertThat(reconnected).as("the publisher is back").isNotNull();
        Thread.sleep(1500);
        Instant posted = Instant.now(); // the streamer (exempt from slow mode) writes after the reconnect
        HttpResponse<String> said = server.post("/api/v1/lives/" + liveId + "/chat", "{\"body\":\"said after the reconnect\"}", alice);
        assertThat(said.statusCode()).as(said.body()).isEqualTo(201);
        assertThat(back.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(back.exitValue()).isZero();
        assertThat(sessions()).as("the same live, not a new one").isEqualTo(1);
        // ffmpeg's end unpublishes: the live ends at once, its playlist gets ENDLIST and shows the discontinuity.
        JsonNode ended = awaitState("ended");
        String last = server.get("/live/" + liveId + "/source/index.m3u8", null).body();
        assertThat(last).contains("#EXT-X-DISCONTINUITY", "#EXT-X-ENDLIST");
        double liveSeconds = 0;
        Matcher extinf = Pattern.compile("#EXTINF:([0-9.]+),").matcher(last);
        while (extinf.find()) liveSeconds += Double.parseDouble(extinf.group(1));
        String replay = ended.get("replay_video_id").asText();
        JsonNode video = server.awaitVideo(replay, alice, Duration.ofSeconds(120),
                v -> v.get("status").asText().equals("failed") || v.get("status").asText().equals("ready") && v.get("progress").asInt() == 100);
        assertThat(video.get("status").asText()).as(video.toString()).isEqualTo("ready");
        assertThat(video.get("owner_id").asText()).isNotBlank();
        double replaySeconds = video.get("duration_seconds").asDouble();
        assertThat(replaySeconds).as("replay %.2f s vs live %.2f s", replaySeconds, liveSeconds).isCloseTo(liveSeconds,
                org.assertj.core.api.Assertions.within(1.0));
        String hls = video.get("playback").get("hls").asText();
        assertThat(server.probeDuration(hls.startsWith("http") ? hls : server.base + hls)).isCloseTo(liveSeconds,
                org.assertj.core.api.Assertions.within(1.0));
        // The recording skipped the publisher's absence, so the replay's chat does too: the message
        // written after the reconnect sits at its moment of the replay, not the gap's length later.
        long gap = Duration.between(dropped, reconnected).toMillis();
        long expected = Duration.between(Instant.parse(ended.get("started_at").asText()), posted).toMillis() - gap;
        JsonNode message = null;
        for (JsonNode m : TestServer.JSON.readTree(server.get("/api/v1/videos/" + replay + "/live-chat", null).body()).get("items")) {
            if (m.get("body").asText().equals("said after the reconnect")) message = m;
        }
        assertThat(message).isNotNull();
        assertThat((double) message.get("offset_ms").asLong()).as("offset after a %d ms gap", gap)
                .isCloseTo(expected, org.assertj.core.api.Assertions.within(1000.0));
    }

    @Test
    @Order(7)
    void regeneratingTheKeyRevokesTheOldOne() throws Exception {
        HttpResponse<String> r = server.post("/api/v1/me/live/key", "", alice);
        assertThat(r.statusCode()).isEqualTo(200);
        String fresh = TestServer.JSON.readTree(r.body()).get("stream_key").asText();
        assertThat(fresh).isNotEqualTo(key);
        int before = sessions();
        Process old = publish(key, 2);
        assertThat(old.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(old.exitValue()).isNotZero();
        assertThat(Files.readString(lastLog)).contains("Unknown or revoked stream key");
        assertThat(sessions()).isEqualTo(before);
    }

    @Test
    @Order(5)
    void chatReachesStreamViewersIsRateLimitedAndModeratedByTheStreamer() throws Exception {
        String chat = "/api/v1/lives/" + liveId + "/chat";
        // A viewer's stream (anonymous viewers read too).
        java.util.concurrent.BlockingQueue<String> heard = new java.util.concurrent.LinkedBlockingQueue<>();
        var sse = server.http.sendAsync(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.base + chat + "/stream"))
                        .header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines());
        // On a thread of its own: thenAccept on an already-complete answer would read the endless stream here.
        sse.thenAcceptAsync(r -> {
            heard.offer("status " + r.statusCode());
            r.body().forEach(heard::offer);
        }, task -> Thread.ofVirtual().start(task));
        Thread.sleep(500);
        HttpResponse<String> posted = server.post(chat, "{\"body\":\"hello from bob\"}", bob);
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(201);
        long messageId = TestServer.JSON.readTree(posted.body()).get("id").asLong();
        assertThat(awaitLine(heard, "hello from bob")).contains("\"author\":\"bob\"");
        assertThat(server.post(chat, "{\"body\":\"\"}", bob).statusCode()).isEqualTo(400);
        assertThat(server.post(chat, "{\"body\":\"" + "x".repeat(501) + "\"}", bob).statusCode()).isEqualTo(400);
        assertThat(server.post(chat, "{\"body\":\"anon\"}", null).statusCode()).isEqualTo(401);
        // Only the streamer (or a moderator) deletes; viewers hear the deletion.
        var delete = java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.base + chat + "/" + messageId)).DELETE();
        assertThat(server.send(delete.copy().header("Authorization", "Bearer " + bob)).statusCode()).isEqualTo(403);
        assertThat(server.send(delete.copy().header("Authorization", "Bearer " + alice)).statusCode()).isEqualTo(204);
        assertThat(awaitLine(heard, "\"id\":" + messageId)).isNotNull();
        assertThat(TestServer.JSON.readTree(server.get(chat, null).body()).get("items").toString()).doesNotContain("hello from bob");
        // Slow mode spaces one viewer's messages; the streamer is exempt.
        HttpResponse<String> slow = server.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.base + chat + "/slow-mode"))
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"seconds\":30}")).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + alice));
        assertThat(slow.statusCode()).as(slow.body()).isEqualTo(200);
        assertThat(server.post(chat, "{\"body\":\"second\"}", bob).statusCode()).isEqualTo(429);
        assertThat(server.post(chat, "{\"body\":\"streamer\"}", alice).statusCode()).isEqualTo(201);
        // A timeout keeps the viewer out.
        String carol = server.register("carol");
        HttpResponse<String> hi = server.post(chat, "{\"body\":\"hi\"}", carol);
        assertThat(hi.statusCode()).isEqualTo(201);
        String carolId = TestServer.JSON.readTree(hi.body()).get("author_id").asText();
        assertThat(server.post(chat + "/timeouts", "{\"user_id\":\"" + carolId + "\",\"seconds\":60}", alice).statusCode()).isEqualTo(200);
        HttpResponse<String> out = server.post(chat, "{\"body\":\"again\"}", carol);
        assertThat(out.statusCode()).isEqualTo(403);
        assertThat(out.body()).contains("timed_out");
        sse.cancel(true);
    }

    static String awaitLine(java.util.concurrent.BlockingQueue<String> lines, String needle) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(200, TimeUnit.MILLISECONDS);
            if (line != null && line.contains(needle)) return line;
        }
        throw new AssertionError("the chat stream did not carry " + needle + "; it carried " + lines);
    }

    static JsonNode awaitLive() throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            JsonNode items = TestServer.JSON.readTree(server.get("/api/v1/lives", null).body()).get("items");
            if (!items.isEmpty()) return items.get(0);
            Thread.sleep(200);
        }
        throw new AssertionError("the live did not start");
    }

    static JsonNode awaitState(String state) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            JsonNode live = TestServer.JSON.readTree(server.get("/api/v1/lives/" + liveId, null).body());
            if (live.get("state").asText().equals(state) && (!state.equals("ended") || !live.get("replay_video_id").isNull())) return live;
            Thread.sleep(200);
        }
        throw new AssertionError("the live did not become " + state);
    }

    static String awaitSegments(int complete) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        String body = "";
        while (Instant.now().isBefore(deadline)) {
            body = server.get("/live/" + liveId + "/" + rendition + "/index.m3u8", null).body();
            if (body.split("#EXTINF", -1).length - 1 >= complete) return body;
            Thread.sleep(200);
        }
        throw new AssertionError("no " + complete + " segments: " + body);
    }
}
