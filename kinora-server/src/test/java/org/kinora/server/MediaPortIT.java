package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The media port ({@code delivery.media-port}, SendfileOrigin): players are given URLs on it, and
 * it answers every media file byte for byte and header for header as the main listener does,
 * with the same refusals; videos with rules it leaves to the main listener are redirected there.
 */
@Timeout(180)
class MediaPortIT {
    @TempDir
    static Path dir;
    static TestServer server;
    static int mediaPort;
    static String owner;
    static String videoId;
    static String hls;
    /** A client that does not follow redirects, to see them. */
    static final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            mediaPort = s.getLocalPort();
        }
        server = new TestServer(dir.resolve("data"), Map.of("delivery.media-port", Integer.toString(mediaPort),
                "delivery.media-url", "http://127.0.0.1:" + mediaPort));
        owner = server.register("mediaport");
        videoId = server.upload(Files.readAllBytes(server.clip(dir, "clip.mp4", 320, 240, 6)), owner);
        server.awaitEnd(videoId, owner);
        hls = server.video(videoId, owner).get("playback").get("hls").asText();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void playersAreGivenTheMediaPortAndEveryFileMatchesTheMainListener() throws Exception {
        assertThat(hls).startsWith("http://127.0.0.1:" + mediaPort + "/media/");
        List<String> objects = MediaObjects.discover(server, hls);
        assertThat(objects).anyMatch(o -> o.endsWith(".m4s")).anyMatch(o -> o.endsWith("init.mp4")).anyMatch(o -> o.endsWith(".m3u8"));
        String onMediaPort = hls.substring(0, hls.length() - "master.m3u8".length());
        String onMain = onMediaPort.replace("http://127.0.0.1:" + mediaPort, server.base);
        for (String object : objects) {
            HttpResponse<byte[]> media = fetch(onMediaPort + object, Map.of());
            HttpResponse<byte[]> main = fetch(onMain + object, Map.of());
            assertThat(media.statusCode()).as(object).isEqualTo(200);
            assertThat(main.statusCode()).as(object).isEqualTo(200);
            assertThat(media.body()).as(object).isEqualTo(main.body());
            for (String h : List.of("Content-Type", "Cache-Control", "ETag", "Last-Modified", "Accept-Ranges", "Access-Control-Allow-Origin",
                    "Timing-Allow-Origin", "X-Content-Type-Options")) {
                // Present on the main listener (so equal cannot mean both missing), and the same on the media port.
                assertThat(main.headers().firstValue(h)).as(h + " of " + object + " on the main listener").isPresent();
                assertThat(media.headers().firstValue(h)).as(h + " of " + object).isEqualTo(main.headers().firstValue(h));
            }
        }
        String segment = objects.stream().filter(o -> o.endsWith(".m4s")).findFirst().orElseThrow();
        HttpResponse<byte[]> whole = fetch(onMediaPort + segment, Map.of());

        // A range, a validator, a gzipped playlist: as on the main listener.
        HttpResponse<byte[]> range = fetch(onMediaPort + segment, Map.of("Range", "bytes=100-199"));
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 100-199/" + whole.body().length);
        assertThat(range.body()).isEqualTo(java.util.Arrays.copyOfRange(whole.body(), 100, 200));
        HttpResponse<byte[]> beyond = fetch(onMediaPort + segment, Map.of("Range", "bytes=" + whole.body().length + "-"));
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.headers().firstValue("Content-Range")).hasValue("bytes */" + whole.body().length);
        String etag = whole.headers().firstValue("ETag").orElseThrow();
        assertThat(fetch(onMediaPort + segment, Map.of("If-None-Match", etag)).statusCode()).isEqualTo(304);
        HttpResponse<byte[]> zipped = fetch(hls, Map.of("Accept-Encoding", "gzip"));
        assertThat(zipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(new String(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(zipped.body())).readAllBytes(),
                StandardCharsets.UTF_8)).startsWith("#EXTM3U");
        HttpResponse<byte[]> head = send(HttpRequest.newBuilder(URI.create(onMediaPort + segment)).method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(whole.body().length);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void refusalsAreTheMainListenersAndNothingElseIsServed() throws Exception {
        String onMediaPort = hls.substring(0, hls.length() - "master.m3u8".length());
        String token = onMediaPort.split("/")[4];
        String base = "http://127.0.0.1:" + mediaPort;
        HttpResponse<byte[]> forged = fetch(base + "/media/" + token.substring(0, token.length() - 2) + "xx/" + videoId + "/master.m3u8", Map.of());
        HttpResponse<byte[]> forgedMain = fetch(server.base + "/media/" + token.substring(0, token.length() - 2) + "xx/" + videoId + "/master.m3u8", Map.of());
        assertThat(forged.statusCode()).isEqualTo(forgedMain.statusCode()).isEqualTo(403);
        assertThat(new String(forged.body(), StandardCharsets.UTF_8)).isEqualTo(new String(forgedMain.body(), StandardCharsets.UTF_8));
        assertThat(forged.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        // Another video's token, a file Kinora never publishes, a path outside /media, a write.
        String other = server.upload(Files.readAllBytes(server.clip(dir, "other.mp4", 160, 120, 2)), owner);
        assertThat(fetch(base + "/media/" + token + "/" + other + "/master.m3u8", Map.of()).statusCode()).isEqualTo(403);
        assertThat(fetch(base + "/media/" + token + "/" + videoId + "/thumbs/..%2F..%2Foriginals", Map.of()).statusCode()).isEqualTo(400);
        assertThat(fetch(base + "/media/" + token + "/" + videoId + "/secrets.txt", Map.of()).statusCode()).isEqualTo(400);
        assertThat(fetch(base + "/api/v1/videos", Map.of()).statusCode()).isEqualTo(404);
        HttpResponse<byte[]> post = send(HttpRequest.newBuilder(URI.create(onMediaPort + "master.m3u8")).POST(HttpRequest.BodyPublishers.ofString("x")));
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD, OPTIONS");
        HttpResponse<byte[]> preflight = send(HttpRequest.newBuilder(URI.create(onMediaPort + "master.m3u8"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://player.example").header("Access-Control-Request-Headers", "range"));
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("")).contains("Range");

        // Made private: the media port stops serving it at once, as the main listener does.
        String privateVideo = server.upload(Files.readAllBytes(server.clip(dir, "private.mp4", 160, 120, 2)), owner);
        server.awaitEnd(privateVideo, owner);
        String privateHls = server.video(privateVideo, null).get("playback").get("hls").asText();
        assertThat(fetch(privateHls, Map.of()).statusCode()).isEqualTo(200);
        HttpResponse<String> patched = server.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/videos/" + privateVideo))
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"privacy\":\"private\"}"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + owner));
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        HttpResponse<byte[]> afterPrivate = fetch(privateHls, Map.of());
        assertThat(afterPrivate.statusCode()).isEqualTo(fetch(privateHls.replace("http://127.0.0.1:" + mediaPort, server.base), Map.of()).statusCode())
                .isIn(403, 404);
    }

    @Test
    void aVideoWithCountryRulesIsRedirectedToTheMainListenerWhichAppliesThem() throws Exception {
        String ruled = server.upload(Files.readAllBytes(server.clip(dir, "ruled.mp4", 160, 120, 2)), owner);
        server.awaitEnd(ruled, owner);
        String ruledHls = server.video(ruled, owner).get("playback").get("hls").asText();
        HttpResponse<String> rules = server.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/videos/" + ruled + "/country-rules"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"allowed_countries\":[\"FR\"],\"blocked_countries\":[]}"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + owner));
        assertThat(rules.statusCode()).as(rules.body()).isEqualTo(200);
        HttpResponse<byte[]> redirected = fetch(ruledHls, Map.of());
        assertThat(redirected.statusCode()).isEqualTo(307);
        String location = redirected.headers().firstValue("Location").orElseThrow();
        assertThat(location).isEqualTo(ruledHls.replace("http://127.0.0.1:" + mediaPort, "http://127.0.0.1:" + server.kinora.port()));
        assertThat(redirected.headers().firstValue("Cache-Control")).hasValue("no-store");
        // A forged Host is not where the redirect goes (no server.public-url here): localhost, the main port.
        try (Socket s = new Socket("127.0.0.1", mediaPort)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + URI.create(ruledHls).getRawPath() + " HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(readResponse(s.getInputStream())).startsWith("HTTP/1.1 307").doesNotContain("evil.example")
                    .contains("location: http://localhost:" + server.kinora.port() + URI.create(ruledHls).getRawPath());
        }
        // The main listener applies the rule: this loopback viewer is in no allowed country.
        HttpResponse<byte[]> there = fetch(location, Map.of());
        assertThat(there.statusCode()).isEqualTo(451);
        assertThat(new String(there.body(), StandardCharsets.UTF_8)).contains("unavailable_in_country");
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderAndOversizedHeadersRefused() throws Exception {
        String path = URI.create(hls).getRawPath();
        String segmentPath = path.substring(0, path.length() - "master.m3u8".length()) + MediaObjects.discover(server, hls).stream()
                .filter(o -> o.endsWith(".m4s")).findFirst().orElseThrow();
        try (Socket s = new Socket("127.0.0.1", mediaPort)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            String requests = "GET " + segmentPath + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    + "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    + "GET /media/x/y/z.m4s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
            out.write(requests.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String first = readResponse(in);
            String second = readResponse(in);
            String third = readResponse(in);
            assertThat(first).startsWith("HTTP/1.1 200").contains("content-type: video/iso.segment");
            assertThat(second).startsWith("HTTP/1.1 200").contains("#EXTM3U");
            assertThat(third).startsWith("HTTP/1.1 400");
        }
        try (Socket s = new Socket("127.0.0.1", mediaPort)) {
            s.setSoTimeout(10_000);
            String huge = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Filler: " + "a".repeat(20_000) + "\r\n\r\n";
            s.getOutputStream().write(huge.getBytes(StandardCharsets.US_ASCII));
            assertThat(readResponse(s.getInputStream())).startsWith("HTTP/1.1 431");
        }
    }

    /** One response: status line, headers (lower-cased names) and its Content-Length body, as text. */
    private static String readResponse(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) throw new java.io.EOFException("connection closed after: " + head);
            head.append((char) b);
        }
        long length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) length = Long.parseLong(line.substring(15).trim());
        }
        byte[] body = in.readNBytes((int) length);
        String lower = head.toString().lines().map(l -> l.contains(":") ? l.substring(0, l.indexOf(':')).toLowerCase(java.util.Locale.ROOT)
                + l.substring(l.indexOf(':')) : l).reduce("", (a, b) -> a + b + "\n");
        return lower + new String(body, StandardCharsets.ISO_8859_1);
    }

    private static HttpResponse<byte[]> fetch(String url, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        headers.forEach(b::header);
        return send(b);
    }

    private static HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
