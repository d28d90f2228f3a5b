package org.kinora.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.kinora.media.ffmpeg.Ffmpeg;
import org.kinora.server.config.ConfigLoader;
import org.kinora.server.config.KinoraConfig;

/** A real Kinora (embedded PostgreSQL, blob directory, bundled ffmpeg) on a free port, plus HTTP helpers. */
final class TestServer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SECRET = "test-secret-test-secret-test-secret-42";

    final Path dataDir;
    final KinoraConfig config;
    final Kinora kinora;
    final String base;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    TestServer(Path dataDir, Map<String, String> extra) throws IOException {
        this(dataDir, extra, org.kinora.core.common.Clock.system());
    }

    /** With the clock the domain reads (play events, tokens, analytics ranges); the scheduler keeps real time. */
    TestServer(Path dataDir, Map<String, String> extra, org.kinora.core.common.Clock clock) throws IOException {
        this.dataDir = dataDir;
        Map<String, String> overrides = new HashMap<>(Map.of(
                "data.dir", dataDir.toString(),
                "server.host", "127.0.0.1",
                "server.port", "0",
                "auth.secret", SECRET,
                "transcode.x264-preset", "ultrafast",
                "worker.retry-base-seconds", "1",
                "live.rtmp-port", "0"));
        // Every test client is 127.0.0.1: per-address sign-in and sign-up throttles would otherwise
        // meet the registrations of a whole test class (SecurityHardeningIT sets them low again).
        overrides.put("ratelimit.sign-ups-per-hour", "1000000");
        overrides.put("ratelimit.sign-ins-per-address-per-minute", "1000000");
        overrides.put("ratelimit.sign-ins-per-minute", "1000000");
        overrides.putAll(extra);
        this.config = ConfigLoader.load(Optional.empty(), Map.of(), overrides);
        this.kinora = Kinora.start(config, Kinora.Role.SERVER, clock);
        this.base = "http://127.0.0.1:" + kinora.port();
    }

    /** The bundled ffmpeg the server itself uses. */
    Ffmpeg ffmpeg() {
        return Ffmpeg.bundled(config.toolsDir());
    }

    /** A test clip made with lavfi: moving test pattern with a tone. */
    Path clip(Path dir, String name, int width, int height, int seconds) {
        return clip(ffmpeg(), dir, name, width, height, seconds);
    }

    static Path clip(Ffmpeg ffmpeg, Path dir, String name, int width, int height, int seconds) {
        Path out = dir.resolve(name);
        ffmpeg.runFfmpeg(List.of("-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=" + width + "x" + height + ":rate=30",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", Integer.toString(seconds),
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", out.toString()));
        return out;
    }

    String register(String username) throws Exception {
        HttpResponse<String> r = post("/api/v1/auth/register",
                "{\"username\":\"" + username + "\",\"email\":\"" + username + "@example.org\",\"password\":\"correct horse\"}", null);
        if (r.statusCode() != 201) throw new IllegalStateException(r.body());
        HttpResponse<String> t = post("/api/v1/auth/token", "{\"username\":\"" + username + "\",\"password\":\"correct horse\"}", null);
        return JSON.readTree(t.body()).get("access_token").asText();
    }

    HttpResponse<String> post(String path, String json, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json");
        if (token != null) b.header("Authorization", "Bearer " + token);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String pathOrUrl, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : base + pathOrUrl));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode video(String id, String token) throws Exception {
        HttpResponse<String> r = get("/api/v1/videos/" + id, token);
        if (r.statusCode() != 200) throw new IllegalStateException(r.statusCode() + " " + r.body());
        return JSON.readTree(r.body());
    }

    /** Uploads {@code body} in one tus creation-with-upload request and returns the new video's id. */
    String upload(byte[] body, String token) throws Exception {
        HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/uploads"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Tus-Resumable", "1.0.0")
                .header("Authorization", "Bearer " + token).header("Upload-Length", Integer.toString(body.length))
                .header("Content-Type", "application/offset+octet-stream"));
        if (created.statusCode() != 201) throw new IllegalStateException(created.statusCode() + " " + created.body());
        return created.headers().firstValue("Kinora-Video-Id").orElseThrow();
    }

    /** How many times the video's transcode job has been started. */
    int jobAttempts(String videoId) throws Exception {
        try (Connection c = DriverManager.getConnection(kinora.databaseUrl());
             PreparedStatement q = c.prepareStatement("SELECT attempts FROM jobs WHERE kind = 'transcode' AND video_id = ?")) {
            q.setString(1, videoId);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) throw new IllegalStateException("no job for video " + videoId);
                return rs.getInt(1);
            }
        }
    }

    /** Polls until the video failed or is fully transcoded (ready at 100 %). */
    JsonNode awaitEnd(String videoId, String token) throws Exception {
        return awaitVideo(videoId, token, Duration.ofSeconds(90), v -> v.get("status").asText().equals("failed")
                || v.get("status").asText().equals("ready") && v.get("progress").asInt() == 100);
    }

    /** Polls the video until {@code done} holds, failing after {@code timeout}. */
    JsonNode awaitVideo(String id, String token, Duration timeout, Predicate<JsonNode> done) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode v = video(id, token);
        while (!done.test(v)) {
            if (Instant.now().isAfter(deadline)) throw new AssertionError("video " + id + " did not get there in time: " + v);
            Thread.sleep(200);
            v = video(id, token);
        }
        return v;
    }

    /** Duration in seconds that ffprobe reads from a URL or file. */
    double probeDuration(String input) {
        String out = ffmpeg().runFfprobe(List.of("-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", input));
        return Double.parseDouble(out.trim());
    }

    static String sha256(Path file) throws Exception {
        try (var in = Files.newInputStream(file)) {
            return sha256(in);
        }
    }

    /** The SHA-256 of a stored blob, read through the server's own blob store (directory or S3). */
    String sha256OfBlob(String key) throws Exception {
        try (var in = kinora.blobs().open(key)) {
            return sha256(in);
        }
    }

    static String sha256(java.io.InputStream in) throws Exception {
        var md = java.security.MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
        return java.util.HexFormat.of().formatHex(md.digest());
    }

    @Override
    public void close() {
        kinora.close();
    }
}
