package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.tus.java.client.TusClient;
import io.tus.java.client.TusURLMemoryStore;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.core.blob.BlobKeys;
import org.w3c.dom.Document;

/**
 * The spine end to end on a real server: a tus upload that is paused and then cut off mid-request,
 * resumed from the server's offset by tus-java-client, transcoded, and played back over HTTP as
 * HLS and DASH by ffmpeg; then the origin's headers, privacy and deletion.
 */
@Timeout(600)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineIT {
    @TempDir
    static Path dir;
    static TestServer server;
    static String alice;
    static Path source;
    static String videoId;
    static JsonNode ready;

    /** Config on top of the test defaults: {@link S3PipelineIT} sets it to run these same cases on S3. */
    static Map<String, String> extraConfig = Map.of();

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(dir.resolve("data"), extraConfig);
        alice = server.register("alice");
        source = server.clip(dir, "clip.mp4", 640, 360, 9);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private TusClient tusClient(TusURLMemoryStore store) throws Exception {
        TusClient client = new TusClient();
        client.setUploadCreationURL(URI.create(server.base + "/api/v1/uploads").toURL());
        client.setHeaders(Map.of("Authorization", "Bearer " + alice));
        client.enableResuming(store);
        return client;
    }

    private long serverOffset(java.net.URL upload) throws Exception {
        HttpResponse<String> head = server.send(HttpRequest.newBuilder(upload.toURI()).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("Tus-Resumable", "1.0.0").header("Authorization", "Bearer " + alice));
        assertThat(head.statusCode()).isEqualTo(200);
        return Long.parseLong(head.headers().firstValue("Upload-Offset").orElseThrow());
    }

    @Test
    @Order(1)
    void anInterruptedUploadResumesAndBecomesPlayableHlsAndDash() throws Exception {
        long size = Files.size(source);
        TusURLMemoryStore store = new TusURLMemoryStore();
        TusUpload upload = new TusUpload(source.toFile());
        upload.setMetadata(Map.of("filename", "clip.mp4", "title", "Interrupted upload", "privacy", "public"));

        // 1. tus-java-client sends about a third, then the client goes away.
        TusUploader first = tusClient(store).resumeOrCreateUpload(upload);
        first.setChunkSize(32 * 1024);
        first.setRequestPayloadSize(96 * 1024);
        while (first.getOffset() < size / 3) first.uploadChunk();
        first.finish();
        java.net.URL uploadUrl = first.getUploadURL();
        long afterPause = serverOffset(uploadUrl);
        assertThat(afterPause).isEqualTo(first.getOffset()).isLessThan(size);

        HttpResponse<String> head = server.send(HttpRequest.newBuilder(uploadUrl.toURI()).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("Tus-Resumable", "1.0.0").header("Authorization", "Bearer " + alice));
        videoId = head.headers().firstValue("Kinora-Video-Id").orElseThrow();
        // IMF-fixdate (RFC 9110 5.6.7): a two-digit day, which RFC_1123_DATE_TIME drops on days 1-9.
        assertThat(head.headers().firstValue("Upload-Expires").orElseThrow())
                .matches("(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
        assertThat(server.video(videoId, alice).get("status").asText()).isEqualTo("uploading");

        // 2. A PATCH whose connection drops midway: the server keeps what arrived.
        byte[] file = Files.readAllBytes(source);
        int sent = 100_000;
        try (Socket socket = new Socket("127.0.0.1", URI.create(server.base).getPort())) {
            OutputStream out = socket.getOutputStream();
            String headers = "PATCH " + uploadUrl.getPath() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\n"
                    + "Authorization: Bearer " + alice + "\r\nContent-Type: application/offset+octet-stream\r\n"
                    + "Upload-Offset: " + afterPause + "\r\nContent-Length: " + (size - afterPause) + "\r\n\r\n";
            out.write(headers.getBytes(StandardCharsets.US_ASCII));
            out.write(file, (int) afterPause, sent);
            out.flush();
            Thread.sleep(300);
        }
        long afterDrop = afterPause;
        for (int i = 0; i < 50 && afterDrop == afterPause; i++) {
            Thread.sleep(100);
            afterDrop = serverOffset(uploadUrl);
        }
        assertThat(afterDrop).isGreaterThan(afterPause).isLessThanOrEqualTo(afterPause + sent);

        // 3. A new client resumes from the server's offset and finishes.
        TusUpload again = new TusUpload(source.toFile()); // same file, same fingerprint: found in the URL store
        again.setMetadata(upload.getMetadata());
        TusUploader resumed = tusClient(store).resumeOrCreateUpload(again);
        assertThat(resumed.getOffset()).isEqualTo(afterDrop);
        resumed.setChunkSize(256 * 1024);
        while (resumed.uploadChunk() > -1) { /* keep sending */ }
        resumed.finish();

        // Nothing lost or duplicated: the stored original is the file, byte for byte.
        assertThat(server.sha256OfBlob(BlobKeys.original(videoId))).isEqualTo(TestServer.sha256(source));

        JsonNode playable = server.awaitVideo(videoId, alice, Duration.ofSeconds(90), v -> v.get("status").asText().equals("ready"));
        assertThat(playable.get("playback").get("hls").asText()).endsWith("/master.m3u8");
        ready = server.awaitVideo(videoId, alice, Duration.ofSeconds(120), v -> v.get("progress").asInt() == 100);
        assertThat(ready.get("renditions").findValuesAsText("name")).containsExactly("240p", "360p");
        assertThat(ready.get("duration_seconds").asDouble()).isCloseTo(9.0, within(0.2));
        assertThat(ready.get("width").asInt()).isEqualTo(640);

        double sourceDuration = server.probeDuration(source.toString());
        String hls = ready.get("playback").get("hls").asText();
        assertThat(server.probeDuration(hls)).isCloseTo(sourceDuration, within(0.5));
        // Decoding every frame of the master through HTTP must succeed (ffmpeg exits non-zero otherwise).
        server.ffmpeg().runFfmpeg(List.of("-v", "error", "-i", hls, "-map", "0:v:0", "-map", "0:a:0", "-f", "null", "-"));

        String mpdUrl = ready.get("playback").get("dash").asText();
        HttpResponse<String> mpd = server.get(mpdUrl, null);
        assertThat(mpd.statusCode()).isEqualTo(200);
        assertThat(mpd.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/dash+xml");
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(mpd.body().getBytes(StandardCharsets.UTF_8)));
        assertThat(doc.getElementsByTagName("Representation").getLength()).isEqualTo(3); // 240p, 360p, audio
        assertThat(doc.getElementsByTagName("SegmentTimeline").getLength()).isEqualTo(3);
        assertThat(server.probeDuration(mpdUrl)).isCloseTo(sourceDuration, within(0.5));

        HttpResponse<String> list = server.get("/api/v1/videos", null);
        assertThat(TestServer.JSON.readTree(list.body()).get("items").findValuesAsText("id")).contains(videoId);
    }

    private String media(String file) {
        String hls = ready.get("playback").get("hls").asText();
        return hls.substring(0, hls.length() - "master.m3u8".length()) + file;
    }

    @Test
    @Order(2)
    void theOriginServesWithCacheHeadersEtagsAndRanges() throws Exception {
        HttpResponse<String> master = server.get(media("master.m3u8"), null);
        assertThat(master.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/vnd.apple.mpegurl");
        // Processing has finished: a minute, not 2 s; not a day either, since a caption edit rewrites the master.
        assertThat(master.headers().firstValue("Cache-Control").orElseThrow()).startsWith("public, max-age=60,");
        assertThat(master.body()).contains("240p/index.m3u8", "360p/index.m3u8", "audio/index.m3u8",
                "URI=\"360p/iframes.m3u8\"", "LANGUAGE=\"und\"");
        // The start variant (the largest up to 720p) comes first.
        assertThat(master.body().lines().filter(l -> l.endsWith("/index.m3u8")).findFirst()).contains("360p/index.m3u8");
        assertThat(server.get(media("360p/iframes.m3u8"), null).body()).contains("#EXT-X-I-FRAMES-ONLY", "#EXT-X-BYTERANGE:");

        HttpResponse<byte[]> seg = server.http.send(HttpRequest.newBuilder(URI.create(media("360p/seg_00001.m4s"))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(seg.statusCode()).isEqualTo(200);
        assertThat(seg.headers().firstValue("Content-Type").orElseThrow()).isEqualTo("video/iso.segment");
        assertThat(seg.headers().firstValue("Cache-Control").orElseThrow()).contains("immutable");
        String etag = seg.headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> notModified = server.send(HttpRequest.newBuilder(URI.create(media("360p/seg_00001.m4s"))).header("If-None-Match", etag));
        assertThat(notModified.statusCode()).isEqualTo(304);

        HttpResponse<byte[]> part = server.http.send(HttpRequest.newBuilder(URI.create(media("360p/seg_00001.m4s")))
                .header("Range", "bytes=100-199").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("Content-Range").orElseThrow()).isEqualTo("bytes 100-199/" + seg.body().length);
        assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(seg.body(), 100, 200));

        // Weak and listed entity-tags match (weak comparison); If-Modified-Since counts without If-None-Match.
        for (String ifNoneMatch : List.of("W/" + etag, "\"nope\", " + etag, "W/\"x\",W/" + etag)) {
            assertThat(server.send(HttpRequest.newBuilder(URI.create(media("360p/seg_00001.m4s"))).header("If-None-Match", ifNoneMatch))
                    .statusCode()).as(ifNoneMatch).isEqualTo(304);
        }
        String lastModified = seg.headers().firstValue("Last-Modified").orElseThrow();
        assertThat(lastModified).matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT"); // IMF-fixdate
        assertThat(server.send(HttpRequest.newBuilder(URI.create(media("360p/seg_00001.m4s"))).header("If-Modified-Since", lastModified))
                .statusCode()).isEqualTo(304);
        assertThat(server.send(HttpRequest.newBuilder(URI.create(media("360p/seg_00001.m4s")))
                .header("If-Modified-Since", "Thu, 01 Jan 2015 00:00:00 GMT")).statusCode()).isEqualTo(200);
        assertThat(server.send(HttpRequest.newBuilder(URI.create(media("360p/seg_00001.m4s")))
                .header("If-None-Match", "\"nope\"").header("If-Modified-Since", lastModified)).statusCode()).isEqualTo(200);

        // Playlists are gzipped for clients that accept it, with a weak ETag that still validates.
        HttpResponse<byte[]> zipped = server.http.send(HttpRequest.newBuilder(URI.create(media("master.m3u8")))
                .header("Accept-Encoding", "br, gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(zipped.headers().firstValue("Content-Encoding")).contains("gzip");
        assertThat(zipped.headers().firstValue("Vary")).contains("Accept-Encoding");
        assertThat(master.headers().firstValue("Vary")).contains("Accept-Encoding");
        assertThat(master.headers().firstValue("Content-Encoding")).isEmpty();
        try (var in = new java.util.zip.GZIPInputStream(new ByteArrayInputStream(zipped.body()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(master.body());
        }
        String weak = zipped.headers().firstValue("ETag").orElseThrow();
        assertThat(weak).isEqualTo("W/" + master.headers().firstValue("ETag").orElseThrow());
        assertThat(server.send(HttpRequest.newBuilder(URI.create(media("master.m3u8"))).header("Accept-Encoding", "gzip")
                .header("If-None-Match", weak)).statusCode()).isEqualTo(304);
        HttpResponse<byte[]> mpdZipped = server.http.send(HttpRequest.newBuilder(URI.create(media("manifest.mpd")))
                .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(mpdZipped.headers().firstValue("Content-Encoding")).contains("gzip");
        assertThat(mpdZipped.headers().firstValue("Cache-Control").orElseThrow()).startsWith("public, max-age=60,");
        // WebVTT too: the storyboard.
        HttpResponse<String> vtt = server.get(media("thumbs/storyboard.vtt"), null);
        HttpResponse<byte[]> vttZipped = server.http.send(HttpRequest.newBuilder(URI.create(media("thumbs/storyboard.vtt")))
                .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(vttZipped.statusCode()).isEqualTo(200);
        assertThat(vttZipped.headers().firstValue("Content-Encoding")).contains("gzip");
        assertThat(vttZipped.headers().firstValue("Vary")).contains("Accept-Encoding");
        assertThat(vttZipped.headers().firstValue("ETag").orElseThrow()).isEqualTo("W/" + vtt.headers().firstValue("ETag").orElseThrow());
        try (var in = new java.util.zip.GZIPInputStream(new ByteArrayInputStream(vttZipped.body()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).startsWith("WEBVTT").isEqualTo(vtt.body());
        }
        assertThat(seg.headers().firstValue("Content-Encoding")).isEmpty(); // segments are never recompressed

        HttpResponse<String> beyond = server.send(HttpRequest.newBuilder(URI.create(media("360p/seg_00001.m4s")))
                .header("Range", "bytes=" + (seg.body().length + 10) + "-"));
        assertThat(beyond.statusCode()).isEqualTo(416);
    }

    @Test
    @Order(3)
    void pathTricksAndForgedTokensGetA4xxAndNothingElse() throws Exception {
        String secret = TestServer.SECRET;
        for (String trick : List.of("%2e%2e/%2e%2e/secrets/signing.key", "360p/..%2F..%2F..%2Fsecrets%2Fsigning.key",
                "../../../originals/" + videoId + "/source", "360p/seg_1.m4s")) {
            HttpResponse<String> r = server.get(media(trick), null);
            assertThat(r.statusCode()).as(trick).isBetween(400, 404);
            assertThat(r.body()).doesNotContain(secret).doesNotContain("ftyp");
        }
        String hls = ready.get("playback").get("hls").asText();
        String forged = hls.replaceFirst("/media/([0-9]+)\\.([^./]+)\\.[^/]+/", "/media/$1.$2.AAAAAAAAAAAAAAAAAAAAAA/");
        assertThat(forged).isNotEqualTo(hls);
        HttpResponse<String> r = server.get(forged, null);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(TestServer.JSON.readTree(r.body()).get("code").asText()).isEqualTo("invalid_playback_token");
    }

    @Test
    @Order(4)
    void privateVideosAreTheOwnersAloneAndStopServingAtOnce() throws Exception {
        String bob = server.register("bob");
        String anonymousSegment = server.video(videoId, null).get("playback").get("hls").asText().replace("master.m3u8", "240p/init.mp4");
        assertThat(server.get(anonymousSegment, null).statusCode()).isEqualTo(200);

        HttpResponse<String> byBob = server.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/videos/" + videoId))
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"privacy\":\"private\"}")).header("Authorization", "Bearer " + bob));
        assertThat(byBob.statusCode()).isEqualTo(403);

        HttpResponse<String> byAlice = server.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/videos/" + videoId))
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"privacy\":\"private\",\"title\":\"Mine\"}"))
                .header("Authorization", "Bearer " + alice));
        assertThat(byAlice.statusCode()).isEqualTo(200);
        assertThat(TestServer.JSON.readTree(byAlice.body()).get("title").asText()).isEqualTo("Mine");

        assertThat(server.get(anonymousSegment, null).statusCode()).as("an anonymous grant no longer plays").isEqualTo(404);
        assertThat(server.get("/api/v1/videos/" + videoId, null).statusCode()).isEqualTo(404);
        assertThat(server.get("/api/v1/videos/" + videoId, bob).statusCode()).isEqualTo(404);
        JsonNode own = server.video(videoId, alice);
        String ownSegment = own.get("playback").get("hls").asText().replace("master.m3u8", "240p/init.mp4");
        HttpResponse<String> ownFetch = server.get(ownSegment, null);
        assertThat(ownFetch.statusCode()).isEqualTo(200);
        assertThat(ownFetch.headers().firstValue("Cache-Control").orElseThrow()).startsWith("private");
        assertThat(TestServer.JSON.readTree(server.get("/api/v1/videos", null).body()).get("items").findValuesAsText("id"))
                .doesNotContain(videoId);

        HttpResponse<String> delete = server.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/videos/" + videoId))
                .DELETE().header("Authorization", "Bearer " + alice));
        assertThat(delete.statusCode()).isEqualTo(204);
        assertThat(server.get(ownSegment, null).statusCode()).isEqualTo(404);
        assertThat(server.get("/api/v1/videos/" + videoId, alice).statusCode()).isEqualTo(404);
        for (String file : List.of("master.m3u8", "manifest.mpd", "240p/init.mp4", "360p/seg_00001.m4s", "thumbs/poster.jpg")) {
            assertThat(server.kinora.blobs().stat(BlobKeys.videoPrefix(videoId) + file)).as(file).isEmpty();
        }
        assertThat(server.kinora.blobs().stat(BlobKeys.original(videoId))).isEmpty();
    }

    @Test
    @Order(5)
    void healthAndMetricsAnswer() throws Exception {
        assertThat(server.get("/health/live", null).statusCode()).isEqualTo(200);
        HttpResponse<String> ready = server.get("/health/ready", null);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"database\":\"up\"", "\"blob_store\":\"up\"");
        String metrics = server.get("/metrics", null).body();
        assertThat(metrics).contains("kinora_http_server_requests_seconds_count", "kinora_uploads_completed_total 1.0",
                "kinora_jobs_queued", "kinora_jobs_duration_seconds_count{kind=\"transcode\",outcome=\"completed\"}",
                "kinora_time_to_playable_seconds_count 1");
    }
}
