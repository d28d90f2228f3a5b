package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One decode (issue 15), on embedded defaults: an upload whose H.264 stream browsers play as it
 * is, with a keyframe on every 4 s boundary (GOP 2 s, like a phone's), is published by copying
 * that stream, without re-encoding it; the ladder job then encodes every rung, 240p included, in
 * one decode. The viewer waiting on the watch page plays the copy in Chromium through hls.js
 * from the moment the video turns ready, without a {@code waiting} event, and the final master
 * lists only the ladder's rungs, each with every source frame. ({@code FirstViewerIT}'s source
 * has x264's default 250-frame GOP, so it still takes the lowest-rung route.)
 */
@Timeout(240)
class SourceCopyIT {
    @TempDir
    static Path dir;
    static TestServer server;
    static Chromium chromium;
    static Browser browser;
    static final int SECONDS = 20;

    @BeforeAll
    static void start() throws Exception {
        Chromium.executable(); // before anything starts: fail at once, saying how to install it
        // Embedded defaults, but chunks start at 24 s so that the second test's 36 s video is chunked (the first's 20 s is not).
        server = new TestServer(dir.resolve("data"), Map.of("transcode.chunk-threshold-seconds", "24", "transcode.chunk-seconds", "8"));
        chromium = Chromium.launch();
        browser = chromium.browser();
    }

    @AfterAll
    static void stop() {
        if (chromium != null) chromium.close();
        if (server != null) server.close();
    }

    /** What hls.js did, for the failure message should the test fail. */
    private static final String HLS_LOG = """
            () => { const f = window.firstViewer; const hls = window.kinoraPlayer.hls; const v = document.getElementById('video');
              f.log = []; const at = () => v.currentTime.toFixed(1);
              hls.on('hlsError', (e, d) => f.log.push(at() + ' error ' + d.details + (d.fatal ? ' fatal' : '') + ' ' + (d.url || '')));
              hls.on('hlsLevelLoaded', (e, d) => f.log.push(at() + ' level ' + d.level + ' live=' + d.details.live + ' n=' + d.details.fragments.length));
              hls.on('hlsLevelSwitched', (e, d) => f.log.push(at() + ' switched ' + d.level));
              hls.on('hlsFragLoaded', (e, d) => { if (d.frag.type === 'main') f.log.push(at() + ' frag ' + d.frag.level + '/' + d.frag.sn
                + ' manual=' + hls.manualLevel + ' cap=' + hls.autoLevelCapping); });
              v.addEventListener('waiting', () => { const b = []; for (let i = 0; i < v.buffered.length; i++) b.push(v.buffered.start(i).toFixed(1) + '-' + v.buffered.end(i).toFixed(1));
                f.log.push(at() + ' waiting buffered=' + b.join(',') + ' level=' + hls.currentLevel); }); }""";

    /** A phone-like upload: H.264 High, 2 s GOP without scene-cut keyframes, AAC-LC 48 kHz stereo 128 kb/s. */
    private static Path phoneClip(String name, int seconds) {
        Path out = dir.resolve(name);
        server.ffmpeg().runFfmpeg(List.of("-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=854x480:rate=30",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", Integer.toString(seconds),
                "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "high", "-pix_fmt", "yuv420p", "-g", "60", "-keyint_min", "60",
                "-sc_threshold", "0", "-b:v", "2M", "-c:a", "aac", "-b:a", "128k", "-ac", "2", "-shortest", out.toString()));
        return out;
    }

    @Test
    void aCopyableSourceIsPlayableAtOnceThroughItsCopyAndTheLadderReplacesIt() throws Exception {
        String token = server.register("copier");
        Path clip = phoneClip("phone.mp4", SECONDS);
        byte[] bytes = Files.readAllBytes(clip);
        HttpResponse<String> created = server.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/uploads"))
                .POST(HttpRequest.BodyPublishers.noBody()).header("Tus-Resumable", "1.0.0")
                .header("Authorization", "Bearer " + token).header("Upload-Length", Integer.toString(bytes.length)));
        assertThat(created.statusCode()).isEqualTo(201);
        String videoId = created.headers().firstValue("Kinora-Video-Id").orElseThrow();
        URI uploadUrl = URI.create(server.base).resolve(created.headers().firstValue("Location").orElseThrow());

        List<String> errors = new CopyOnWriteArrayList<>();
        List<String> masters = new CopyOnWriteArrayList<>();
        Page page = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800)).newPage();
        page.setDefaultTimeout(30_000);
        page.onConsoleMessage(m -> {
            if (m.type().equals("error")) errors.add(m.text());
        });
        page.onPageError(e -> errors.add("uncaught: " + e));
        page.onResponse(r -> {
            if (r.url().endsWith("/master.m3u8") && r.status() == 200 && masters.isEmpty()) masters.add(r.text());
            if (r.status() >= 400) errors.add(r.status() + " " + r.url());
        });
        page.navigate(server.base + "/watch/" + videoId);
        page.evaluate(FirstViewerIT.WATCH); // the same counters as the first viewer of the 240p route
        long sent = System.nanoTime();
        HttpResponse<String> patched = server.send(HttpRequest.newBuilder(uploadUrl)
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes)).header("Tus-Resumable", "1.0.0")
                .header("Authorization", "Bearer " + token).header("Upload-Offset", "0")
                .header("Content-Type", "application/offset+octet-stream"));
        assertThat(patched.statusCode()).isEqualTo(204);
        JsonNode ready = server.awaitVideo(videoId, token, Duration.ofSeconds(60), v -> v.get("status").asText().equals("ready"));
        double readySeconds = (System.nanoTime() - sent) / 1e9;
        System.out.printf("SourceCopyIT: ready %.2f s after the upload's bytes were sent, progress %d%n", readySeconds,
                ready.get("progress").asInt());
        List<String> atReady = names(ready);
        assertThat(atReady).as("published first: the copied source, not an encoded rung").containsExactly("source");

        PageConditions.waitUntil(page, "window.firstViewer.playing", Duration.ofSeconds(60), "() => JSON.stringify(window.firstViewer)");
        page.evaluate(HLS_LOG);
        assertThat(masters).hasSize(1);
        String master = masters.getFirst();
        assertThat(master).contains("source/index.m3u8", "240p/index.m3u8");
        String copyLine = master.lines().filter(l -> l.startsWith("#EXT-X-STREAM-INF") && master.indexOf(l) < master.indexOf("source/index.m3u8"))
                .reduce((a, b) -> b).orElseThrow();
        // The copy is listed with the codecs of the source's own stream (High = 0x64, x264's level for it) and its measured rate.
        int level = Integer.parseInt(server.ffmpeg().runFfprobe(List.of("-v", "error", "-select_streams", "v:0", "-show_entries", "stream=level",
                "-of", "csv=p=0", clip.toString())).strip());
        assertThat(copyLine).contains(String.format("CODECS=\"avc1.6400%02x,mp4a.40.2\"", level), "RESOLUTION=854x480");
        long bandwidth = Long.parseLong(copyLine.replaceAll(".*[:,]BANDWIDTH=(\\d+).*", "$1"));
        assertThat(bandwidth).as(copyLine).isBetween(1_500_000L, 4_000_000L);

        PageConditions.waitUntil(page, "window.firstViewer.ended", Duration.ofSeconds(SECONDS + 90), "() => JSON.stringify(window.firstViewer)");
        @SuppressWarnings("unchecked")
        Map<String, Object> seen = (Map<String, Object>) page.evaluate("() => window.firstViewer");
        System.out.println("SourceCopyIT: the viewer saw " + seen);
        assertThat(((Number) seen.get("waiting")).intValue()).as("waiting events after the first frame: " + seen + " " + errors).isZero();
        @SuppressWarnings("unchecked")
        List<Number> heights = (List<Number>) seen.get("heights");
        assertThat(heights.getFirst().intValue()).as("starts on the copy, at the source's size").isEqualTo(480);

        JsonNode done = server.awaitEnd(videoId, token);
        assertThat(done.get("progress").asInt()).isEqualTo(100);
        assertThat(names(done)).as("the copy left with the complete ladder").containsExactlyInAnyOrder("240p", "360p", "480p");
        String masterUrl = done.get("playback").get("hls").asText();
        String finalMaster = server.get(masterUrl, token).body();
        assertThat(finalMaster).doesNotContain("source/").contains("240p/index.m3u8", "360p/index.m3u8", "480p/index.m3u8");
        ServedManifests.check(server, masterUrl);
        String mpd = server.get(masterUrl.replace("master.m3u8", "manifest.mpd"), token).body();
        assertThat(mpd).doesNotContain("source/").contains("480p/");
        assertThat(server.get(masterUrl.replace("master.m3u8", "thumbs/storyboard.vtt"), token).body()).contains("sprite_0.jpg");
        // Its files stay for viewers who loaded its playlist before, and are due for deletion after
        // SourceCopy.grace: 1 h + twice the length.
        try (var c = java.sql.DriverManager.getConnection(server.kinora.databaseUrl());
             var q = c.prepareStatement("SELECT delete_after FROM source_copy_retirements WHERE video_id = ?")) {
            q.setString(1, videoId);
            try (var rs = q.executeQuery()) {
                assertThat(rs.next()).as("the copy's retirement is recorded").isTrue();
                Duration left = Duration.between(java.time.Instant.now(), rs.getTimestamp(1).toInstant());
                assertThat(left).isBetween(Duration.ofMinutes(59), Duration.ofMinutes(61));
            }
        }
        assertThat(server.get(masterUrl.replace("master.m3u8", "source/index.m3u8"), token).statusCode()).isEqualTo(200);

        int sourceFrames = packetCount(clip.toString());
        assertThat(sourceFrames).isEqualTo(SECONDS * 30);
        for (String rung : List.of("240p", "360p", "480p", "source")) {
            assertThat(packetCount(masterUrl.replace("master.m3u8", rung + "/index.m3u8"))).as(rung + " frames").isEqualTo(sourceFrames);
        }
        // The audio was copied too (it is what Kinora would have written): the same packets, size for size, not an encode of them.
        assertThat(audioPacketSizes(masterUrl.replace("master.m3u8", "audio/index.m3u8"))).isEqualTo(audioPacketSizes(clip.toString()));
        assertThat(errors).isEmpty();
    }

    @Test
    void aChunkedVideosChunksEncodeEveryRungOfTheirSpanWhenTheSourceIsCopied() throws Exception {
        String token = server.register("chunker");
        int seconds = 36;
        Path clip = phoneClip("long.mp4", seconds);
        String videoId = server.upload(Files.readAllBytes(clip), token);
        JsonNode ready = server.awaitVideo(videoId, token, Duration.ofSeconds(60), v -> v.get("status").asText().equals("ready"));
        assertThat(names(ready)).as("published first: the copy").containsExactly("source");
        JsonNode done = server.awaitVideo(videoId, token, Duration.ofSeconds(150), v -> v.get("progress").asInt() == 100
                || v.get("status").asText().equals("failed"));
        assertThat(done.get("status").asText()).isEqualTo("ready");
        assertThat(names(done)).containsExactlyInAnyOrder("240p", "360p", "480p");
        // No ladder job and no second first-rung encode: the chunks wrote every rung, 240p included.
        try (var c = java.sql.DriverManager.getConnection(server.kinora.databaseUrl());
             var q = c.prepareStatement("SELECT kind, count(*) FROM jobs WHERE video_id = ? GROUP BY kind ORDER BY kind")) {
            q.setString(1, videoId);
            Map<String, Integer> kinds = new java.util.TreeMap<>();
            try (var rs = q.executeQuery()) {
                while (rs.next()) kinds.put(rs.getString(1), rs.getInt(2));
            }
            assertThat(kinds).containsOnlyKeys("transcode", "transcode-chunk");
            assertThat(kinds.get("transcode-chunk")).isGreaterThan(1);
        }
        String masterUrl = done.get("playback").get("hls").asText();
        assertThat(server.get(masterUrl, token).body()).doesNotContain("source/").contains("240p/index.m3u8", "480p/index.m3u8");
        ServedManifests.check(server, masterUrl);
        for (String rung : List.of("240p", "360p", "480p")) {
            assertThat(packetCount(masterUrl.replace("master.m3u8", rung + "/index.m3u8"))).as(rung + " frames").isEqualTo(seconds * 30);
        }
        // The storyboard came from the copy pass's keyframes (the chunks decode only their spans).
        HttpResponse<String> board = server.get(masterUrl.replace("master.m3u8", "thumbs/storyboard.vtt"), token);
        assertThat(board.statusCode()).isEqualTo(200);
        assertThat(board.body()).contains("sprite_0.jpg");
    }

    private static List<String> names(JsonNode video) {
        List<String> names = new ArrayList<>();
        video.get("renditions").forEach(r -> names.add(r.get("name").asText()));
        return names;
    }

    /** The audio packets' sizes, but the first and last (the source's first carries its priming as side data, which ffprobe prints beside its size). */
    private static List<String> audioPacketSizes(String input) {
        List<String> sizes = server.ffmpeg().runFfprobe(List.of("-v", "error", "-select_streams", "a:0", "-show_entries", "packet=size",
                "-of", "csv=p=0", input)).lines().filter(l -> !l.isBlank()).toList();
        return sizes.subList(Math.min(1, sizes.size()), Math.max(1, sizes.size() - 1));
    }

    private static int packetCount(String input) {
        String out = server.ffmpeg().runFfprobe(List.of("-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts_time",
                "-of", "csv=p=0", input));
        return (int) out.lines().filter(l -> !l.isBlank()).count();
    }
}
