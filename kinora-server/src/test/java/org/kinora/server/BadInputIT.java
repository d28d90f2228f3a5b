package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.server.auth.AccessTokens;
import org.kinora.server.auth.Secrets;

/** Every bad input gets a precise 4xx with a reason, and nothing already stored is harmed. */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class BadInputIT {
    @TempDir
    static Path dir;
    static TestServer server;
    static String alice;

    @BeforeAll
    static void start() throws Exception {
        // A small picture cap keeps the oversize case cheap; the default is 8K.
        server = new TestServer(dir.resolve("data"), Map.of("upload.max-size-bytes", "5000000",
                "transcode.max-side", "1000", "transcode.max-pixels", "1000000", "worker.max-attempts", "2"));
        alice = server.register("alice");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static HttpRequest.Builder tus(String pathOrUrl, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : server.base + pathOrUrl))
                .header("Tus-Resumable", "1.0.0");
        if (token != null) b.header("Authorization", "Bearer " + token);
        return b;
    }

    private static HttpResponse<String> create(long length, String token) throws Exception {
        return server.send(tus("/api/v1/uploads", token).POST(HttpRequest.BodyPublishers.noBody())
                .header("Upload-Length", Long.toString(length))
                .header("Upload-Metadata", "filename " + Base64.getEncoder().encodeToString("notes.txt".getBytes())));
    }

    private static HttpResponse<String> patch(String location, long offset, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = tus(location, alice).method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Upload-Offset", Long.toString(offset)).header("Content-Type", "application/offset+octet-stream");
        for (int i = 0; i < headers.length; i += 2) b.setHeader(headers[i], headers[i + 1]);
        return server.send(b);
    }

    private static long offset(String location) throws Exception {
        HttpResponse<String> head = server.send(tus(location, alice).method("HEAD", HttpRequest.BodyPublishers.noBody()));
        return Long.parseLong(head.headers().firstValue("Upload-Offset").orElseThrow());
    }

    private static String code(HttpResponse<String> r) throws Exception {
        JsonNode body = TestServer.JSON.readTree(r.body());
        assertThat(body.get("message").asText()).isNotBlank();
        return body.get("code").asText();
    }

    @Test
    void uploadsNeedAValidUnexpiredToken() throws Exception {
        HttpResponse<String> anonymous = create(100, null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(code(anonymous)).isEqualTo("authentication_required");

        HttpResponse<String> garbage = create(100, "not.a.jwt");
        assertThat(garbage.statusCode()).isEqualTo(401);
        assertThat(code(garbage)).isEqualTo("invalid_token");

        byte[] key = Secrets.load(Optional.of(TestServer.SECRET), dir).derive("access-token");
        String userId = TestServer.JSON.readTree(server.post("/api/v1/auth/token",
                "{\"username\":\"alice\",\"password\":\"correct horse\"}", null).body()).get("user_id").asText();
        String expired = new AccessTokens(key, Duration.ofMinutes(1), () -> Instant.now().minus(Duration.ofHours(2))).issue(userId);
        HttpResponse<String> late = create(100, expired);
        assertThat(late.statusCode()).isEqualTo(401);
        assertThat(code(late)).isEqualTo("token_expired");

        HttpResponse<String> wrongPassword = server.post("/api/v1/auth/token", "{\"username\":\"alice\",\"password\":\"nope\"}", null);
        assertThat(wrongPassword.statusCode()).isEqualTo(401);
        HttpResponse<String> duplicate = server.post("/api/v1/auth/register",
                "{\"username\":\"ALICE\",\"email\":\"other@example.org\",\"password\":\"long enough\"}", null);
        assertThat(duplicate.statusCode()).isEqualTo(409);
    }

    @Test
    void protocolMistakesAreRefusedWithTheirTusStatus() throws Exception {
        HttpResponse<String> noVersion = server.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/uploads"))
                .POST(HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + alice).header("Upload-Length", "10"));
        assertThat(noVersion.statusCode()).isEqualTo(412);
        assertThat(noVersion.headers().firstValue("Tus-Version")).contains("1.0.0");

        HttpResponse<String> tooBig = create(5_000_001, alice);
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(code(tooBig)).isEqualTo("upload_too_large");

        HttpResponse<String> created = create(10, alice);
        assertThat(created.statusCode()).isEqualTo(201);
        String location = created.headers().firstValue("Location").orElseThrow();
        assertThat(patch(location, 0, "hello".getBytes()).statusCode()).isEqualTo(204);

        HttpResponse<String> wrongOffset = patch(location, 2, "xx".getBytes());
        assertThat(wrongOffset.statusCode()).isEqualTo(409);
        assertThat(code(wrongOffset)).isEqualTo("offset_mismatch");

        HttpResponse<String> wrongType = patch(location, 5, "world".getBytes(), "Content-Type", "application/json");
        assertThat(wrongType.statusCode()).isEqualTo(415);

        String badSum = "sha1 " + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest("WORLD".getBytes()));
        HttpResponse<String> mismatch = patch(location, 5, "world".getBytes(), "Upload-Checksum", badSum);
        assertThat(mismatch.statusCode()).isEqualTo(460);
        assertThat(code(mismatch)).isEqualTo("checksum_mismatch");
        assertThat(offset(location)).as("the bad chunk left nothing behind").isEqualTo(5);

        HttpResponse<String> unknownAlgorithm = patch(location, 5, "world".getBytes(), "Upload-Checksum", "crc32 AAAA");
        assertThat(unknownAlgorithm.statusCode()).isEqualTo(400);

        HttpResponse<String> pastTheEnd = patch(location, 5, "world, and more".getBytes());
        assertThat(pastTheEnd.statusCode()).isEqualTo(413);
        assertThat(offset(location)).isEqualTo(5);

        String bob = server.register("bob");
        HttpResponse<String> someoneElse = server.send(tus(location, bob).method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(someoneElse.statusCode()).isEqualTo(404);

        String goodSum = "sha256 " + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest("world".getBytes()));
        assertThat(patch(location, 5, "world".getBytes(), "Upload-Checksum", goodSum).statusCode()).isEqualTo(204);
        assertThat(offset(location)).isEqualTo(10);
        String videoId = created.headers().firstValue("Kinora-Video-Id").orElseThrow();
        Path original = server.config.blobDir().resolve("originals/" + videoId + "/source");
        assertThat(Files.readString(original, StandardCharsets.UTF_8)).isEqualTo("helloworld");
    }

    @Test
    void aFileThatIsNotAVideoEndsFailedWithAReason() throws Exception {
        byte[] text = "Meeting notes, definitely not a video.\n".repeat(200).getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> created = server.send(tus("/api/v1/uploads", alice).POST(HttpRequest.BodyPublishers.ofByteArray(text))
                .header("Upload-Length", Integer.toString(text.length)).header("Content-Type", "application/offset+octet-stream"));
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Upload-Offset")).contains(Integer.toString(text.length));
        String videoId = created.headers().firstValue("Kinora-Video-Id").orElseThrow();

        // The live event stream follows the video until it fails, then closes.
        HttpResponse<String> events = server.http.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/videos/" + videoId
                + "/events?access_token=" + alice)).header("Accept", "text/event-stream").timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(events.statusCode()).isEqualTo(200);
        assertThat(events.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        assertThat(events.body()).contains("event: status", "\"status\":\"failed\"", "not a video");

        JsonNode failed = server.awaitVideo(videoId, alice, Duration.ofSeconds(30), v -> v.get("status").asText().equals("failed"));
        assertThat(failed.get("failure_reason").asText()).containsIgnoringCase("not a video");
        assertThat(failed.get("playback").isNull()).isTrue();
        try (Connection c = DriverManager.getConnection(server.kinora.databaseUrl());
             PreparedStatement q = c.prepareStatement("SELECT max_attempts FROM jobs WHERE kind = 'transcode' AND video_id = ?")) {
            q.setString(1, videoId);
            ResultSet rs = q.executeQuery();
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).as("the job's attempts come from worker.max-attempts").isEqualTo(2);
        }
    }

    private static String upload(byte[] body) throws Exception {
        return server.upload(body, alice);
    }

    private static JsonNode awaitEnd(String videoId) throws Exception {
        return server.awaitEnd(videoId, alice);
    }

    private static int attempts(String videoId) throws Exception {
        return server.jobAttempts(videoId);
    }

    /** Fails at the first attempt (no retries) with exactly {@code reason}, and published nothing. */
    private static void assertFailedAtOnce(String videoId, String reasonStart) throws Exception {
        JsonNode failed = awaitEnd(videoId);
        assertThat(failed.get("status").asText()).as(failed.toString()).isEqualTo("failed");
        assertThat(failed.get("failure_reason").asText()).startsWith(reasonStart);
        assertThat(failed.get("playback").isNull()).isTrue();
        assertThat(attempts(videoId)).as("attempts").isEqualTo(1);
        Path published = server.config.blobDir().resolve("videos/" + videoId);
        if (Files.exists(published)) {
            try (Stream<Path> files = Files.walk(published)) {
                assertThat(files.filter(Files::isRegularFile).toList()).as("published files").isEmpty();
            }
        }
    }

    private static byte[] lavfi(String name, String source, String... codec) throws Exception {
        Path out = dir.resolve(name);
        List<String> args = new java.util.ArrayList<>(List.of("-v", "error", "-y", "-f", "lavfi", "-i", source));
        args.addAll(List.of(codec));
        args.add(out.toString());
        server.ffmpeg().runFfmpeg(args);
        return Files.readAllBytes(out);
    }

    /**
     * A manifest uploaded as a video, naming another creator's published rendition by the path
     * from {@code originals/{id}/} to {@code videos/{victim}/}: ffmpeg used to follow it and
     * publish the victim's video as the attacker's.
     */
    @Test
    void manifestsNamingAnotherVideosFilesFailAndPublishNothing() throws Exception {
        String victimId = upload(Files.readAllBytes(server.clip(dir, "victim.mp4", 160, 120, 2)));
        JsonNode victim = awaitEnd(victimId);
        assertThat(victim.get("status").asText()).isEqualTo("ready");
        Path victimDir = server.config.blobDir().resolve("videos/" + victimId);
        String rung;
        try (Stream<Path> dirs = Files.list(victimDir)) {
            rung = dirs.filter(d -> Files.isRegularFile(d.resolve("init.mp4")) && !d.getFileName().toString().equals("audio"))
                    .findFirst().orElseThrow().getFileName().toString();
        }
        String base = "../../videos/" + victimId + "/" + rung + "/";

        String mpd = upload(mpd("PT2S", base, """
                <SegmentList duration="2" timescale="1">
                  <Initialization sourceURL="init.mp4"/>
                  <SegmentURL media="seg_00001.m4s"/>
                </SegmentList>"""));
        assertFailedAtOnce(mpd, "The file is an MPEG-DASH manifest, not a video file.");

        String m3u8 = upload(("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:4\n#EXT-X-PLAYLIST-TYPE:VOD\n"
                + "#EXT-X-MAP:URI=\"" + base + "init.mp4\"\n#EXTINF:2.0,\n" + base + "seg_00001.m4s\n#EXT-X-ENDLIST\n")
                .getBytes(StandardCharsets.UTF_8));
        assertFailedAtOnce(m3u8, "The file is an HLS playlist, not a video file.");

        // The same segment repeated for a declared 1000 hours.
        String looping = upload(mpd("PT1000H", base,
                "<SegmentTemplate timescale=\"1\" duration=\"2\" initialization=\"init.mp4\" media=\"seg_00001.m4s\"/>"));
        assertFailedAtOnce(looping, "The file is an MPEG-DASH manifest, not a video file.");

        assertThat(server.video(victimId, alice).get("status").asText()).as("the victim is untouched").isEqualTo("ready");
    }

    /** An MPEG-DASH manifest of one video representation whose segments are found at {@code baseUrl}. */
    private static byte[] mpd(String duration, String baseUrl, String segments) {
        return """
                <?xml version="1.0" encoding="utf-8"?>
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" profiles="urn:mpeg:dash:profile:isoff-live:2011" type="static"
                     mediaPresentationDuration="%s" minBufferTime="PT2S">
                  <Period>
                    <AdaptationSet mimeType="video/mp4">
                      <Representation id="v" bandwidth="100000" width="160" height="120" codecs="avc1.64000c">
                        <BaseURL>%s</BaseURL>
                        %s
                      </Representation>
                    </AdaptationSet>
                  </Period>
                </MPD>
                """.formatted(duration, baseUrl, segments).getBytes(StandardCharsets.UTF_8);
    }

    /** Used to be an IllegalArgumentException from the ladder planner, retried 5 times over two minutes. */
    @Test
    void aOneByOneVideoFailsAtOnceWithItsSize() throws Exception {
        String id = upload(lavfi("1x1.mkv", "testsrc=s=1x1:r=10:d=1", "-c:v", "ffv1"));
        assertFailedAtOnce(id, "The picture is 1x1 pixels; videos need at least 16 pixels on each side.");
    }

    @Test
    void anOversizePictureFailsAtOnceWithItsSize() throws Exception {
        String id = upload(lavfi("big.avi", "testsrc2=s=1200x900:r=5:d=1", "-c:v", "mjpeg"));
        assertFailedAtOnce(id, "The picture is 1200x900 pixels; this server accepts at most 1000 pixels on a side");
    }

    @Test
    void realMp4MovMkvAndWebmStillTranscode() throws Exception {
        String source = "testsrc2=s=160x120:r=15:d=1";
        Map<String, byte[]> files = Map.of(
                "c.mp4", lavfi("c.mp4", source, "-c:v", "libx264", "-preset", "ultrafast"),
                "c.mov", lavfi("c.mov", source, "-c:v", "libx264", "-preset", "ultrafast"),
                "c.mkv", lavfi("c.mkv", source, "-c:v", "libx264", "-preset", "ultrafast"),
                "c.webm", lavfi("c.webm", source, "-c:v", "libvpx", "-b:v", "200k"));
        Map<String, String> ids = new java.util.TreeMap<>();
        for (var f : files.entrySet()) ids.put(f.getKey(), upload(f.getValue()));
        for (var e : ids.entrySet()) {
            JsonNode video = awaitEnd(e.getValue());
            assertThat(video.get("status").asText()).as(e.getKey() + ": " + video).isEqualTo("ready");
            assertThat(video.get("playback").isNull()).as(e.getKey()).isFalse();
            assertThat(attempts(e.getValue())).as(e.getKey()).isEqualTo(1);
        }
    }

    @Test
    void terminationDeletesTheUpload() throws Exception {
        HttpResponse<String> created = create(10, alice);
        String location = created.headers().firstValue("Location").orElseThrow();
        assertThat(patch(location, 0, "abc".getBytes()).statusCode()).isEqualTo(204);
        assertThat(server.send(tus(location, alice).DELETE()).statusCode()).isEqualTo(204);
        assertThat(server.send(tus(location, alice).method("HEAD", HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(404);
        String videoId = created.headers().firstValue("Kinora-Video-Id").orElseThrow();
        assertThat(server.get("/api/v1/videos/" + videoId, alice).statusCode()).isEqualTo(404);
    }

    @Test
    void optionsAdvertisesTheExtensions() throws Exception {
        HttpResponse<String> options = server.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/uploads"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(options.statusCode()).isEqualTo(204);
        assertThat(options.headers().firstValue("Tus-Extension").orElseThrow())
                .contains("creation", "creation-with-upload", "termination", "checksum", "expiration");
        assertThat(options.headers().firstValue("Tus-Checksum-Algorithm").orElseThrow()).contains("sha1", "sha256");
        assertThat(options.headers().firstValue("Tus-Max-Size")).contains("5000000");
    }

    @Test
    void unknownVideosAndBadCursorsAreClear4xx() throws Exception {
        HttpResponse<String> missing = server.get("/api/v1/videos/doesNotExist", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(code(missing)).isEqualTo("not_found");
        HttpResponse<String> cursor = server.get("/api/v1/videos?cursor=bm90LWEtY3Vyc29y", null);
        assertThat(cursor.statusCode()).isEqualTo(400);
        HttpResponse<String> badJson = server.post("/api/v1/auth/register", "{not json", null);
        assertThat(badJson.statusCode()).isEqualTo(400);
        assertThat(code(badJson)).isEqualTo("invalid_json");
    }
}
