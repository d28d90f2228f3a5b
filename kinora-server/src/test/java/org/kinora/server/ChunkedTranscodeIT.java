package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.tus.java.client.TusClient;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.server.config.ConfigLoader;
import org.kinora.server.config.KinoraConfig;

/**
 * Chunked, parallel transcoding (issue 15): a 26 s video with 8 s chunks is cut into three chunk
 * jobs; a `kinora worker` process is killed (SIGKILL) while it encodes one of them; another
 * worker redoes that chunk only, takes the others, and the assembled renditions are seamless:
 * checked packet by packet with ffprobe over each whole rendition, as a player reads it.
 */
@Timeout(600)
class ChunkedTranscodeIT {
    private static final int SECONDS = 26;
    private static final Map<String, String> CHUNKED = Map.of(
            "transcode.chunk-threshold-seconds", "8", "transcode.chunk-seconds", "8", "worker.lease-seconds", "3");

    @TempDir
    static Path dir;

    @Test
    void aChunkOfAKilledWorkerIsRedoneAloneAndTheJoinsAreSeamless() throws Exception {
        Map<String, String> serverConfig = new HashMap<>(CHUNKED);
        serverConfig.put("worker.concurrency", "0"); // the jobs go to the separate workers
        try (TestServer server = new TestServer(dir.resolve("data"), serverConfig)) {
            String token = server.register("chunky");
            Path source = server.clip(dir, "long.mp4", 854, 480, SECONDS);

            Map<String, String> doomedConfig = new HashMap<>(CHUNKED);
            doomedConfig.put("database.url", server.kinora.databaseUrl());
            doomedConfig.put("transcode.x264-preset", "medium"); // slow enough to be caught mid-chunk
            KinoraNode doomed = KinoraNode.start("chunked-it", "worker", server.dataDir, doomedConfig);
            String videoId;
            int killedPart;
            try {
                videoId = upload(server, token, source);
                killedPart = awaitRunningChunk(server, videoId, Duration.ofSeconds(180));
                doomed.kill();
            } finally {
                doomed.kill();
            }
            assertThat(server.video(videoId, token).get("progress").asInt()).isLessThan(100);

            Map<String, String> workerConfig = new HashMap<>(CHUNKED);
            workerConfig.putAll(Map.of("data.dir", server.dataDir.toString(), "database.url", server.kinora.databaseUrl(),
                    "transcode.x264-preset", "ultrafast", "worker.concurrency", "2"));
            KinoraConfig config = ConfigLoader.load(Optional.empty(), Map.of(), workerConfig);
            try (Kinora worker = Kinora.start(config, Kinora.Role.WORKER)) {
                JsonNode done = server.awaitVideo(videoId, token, Duration.ofSeconds(240), v -> v.get("progress").asInt() == 100);
                assertThat(done.get("status").asText()).isEqualTo("ready");
                assertThat(done.get("renditions").findValuesAsText("name")).containsExactly("240p", "360p", "480p");
            }

            // Three chunks ([0,8), [8,16), [16,26)); only the killed worker's chunk ran twice.
            Map<Integer, Integer> attempts = chunkAttempts(server, videoId);
            assertThat(attempts).hasSize(3);
            attempts.forEach((part, n) -> assertThat(n).as("attempts of chunk " + part).isEqualTo(part == killedPart ? 2 : 1));
            assertThat(server.jobAttempts(videoId)).isEqualTo(1);

            assertSeamless(server, source, server.video(videoId, token).get("playback").get("hls").asText());
        }
    }

    /**
     * On Kafka the chunks of one video are encoded by two separate `kinora worker` processes of
     * one consumer group (the test server runs no worker), two at once, and the result is as
     * seamless. Which process ran a chunk is read from the job's lease owner ({@code pid@host/…})
     * while it runs.
     */
    @Test
    void onKafkaTwoWorkerProcessesEncodeChunksOfOneVideo() throws Exception {
        try (org.kinora.server.engines.EmbeddedKafka kafka = new org.kinora.server.engines.EmbeddedKafka(dir.resolve("kafka"))) {
            Map<String, String> kafkaConfig = new HashMap<>(CHUNKED);
            kafkaConfig.putAll(Map.of("jobs.queue", "kafka", "kafka.bootstrap-servers", kafka.bootstrapServers(),
                    "kafka.topic-prefix", "chunks.", "kafka.partitions", "3", "kafka.session-timeout-ms", "3000"));
            Map<String, String> serverConfig = new HashMap<>(kafkaConfig);
            serverConfig.put("worker.concurrency", "0");
            try (TestServer server = new TestServer(dir.resolve("kafka-data"), serverConfig)) {
                Map<String, String> workerConfig = new HashMap<>(kafkaConfig);
                workerConfig.putAll(Map.of("database.url", server.kinora.databaseUrl(), "worker.concurrency", "2",
                        "transcode.x264-preset", "ultrafast", "transcode.x264-threads", "1"));
                try (KinoraNode one = KinoraNode.start("chunks-kafka-1", "worker", server.dataDir, workerConfig);
                     KinoraNode two = KinoraNode.start("chunks-kafka-2", "worker", server.dataDir, workerConfig)) {
                    String token = server.register("kafkachunks");
                    Path source = dir.resolve("long.mp4").toFile().exists() ? dir.resolve("long.mp4") : server.clip(dir, "long.mp4", 854, 480, SECONDS);
                    awaitOrdinaryJobPartitions(one, Duration.ofSeconds(90));
                    awaitOrdinaryJobPartitions(two, Duration.ofSeconds(90));
                    String videoId = upload(server, token, source);
                    int most = 0;
                    Map<Integer, String> ranOn = new HashMap<>();
                    Instant deadline = Instant.now().plus(Duration.ofSeconds(240));
                    JsonNode v = server.video(videoId, token);
                    while (v.get("progress").asInt() < 100) {
                        if (Instant.now().isAfter(deadline)) throw new AssertionError("not transcoded in time: " + v);
                        Map<Integer, String> running = runningChunkOwners(server, videoId);
                        most = Math.max(most, running.size());
                        running.forEach((part, owner) -> ranOn.put(part, owner.substring(0, owner.indexOf('@'))));
                        Thread.sleep(50);
                        v = server.video(videoId, token);
                    }
                    assertThat(v.get("status").asText()).isEqualTo("ready");
                    assertThat(most).as("chunk jobs of the video running at once").isGreaterThanOrEqualTo(2);
                    assertThat(chunkAttempts(server, videoId)).hasSize(3).allSatisfy((part, n) -> assertThat(n).isEqualTo(1));
                    System.out.println("chunks by worker process: " + ranOn + " (processes " + one.pid() + ", " + two.pid() + ")");
                    assertThat(ranOn).as("worker process of each chunk").hasSize(3);
                    assertThat(java.util.Set.copyOf(ranOn.values())).as("worker processes that encoded chunks")
                            .containsExactlyInAnyOrder(Long.toString(one.pid()), Long.toString(two.pid()));
                    assertSeamless(server, source, v.get("playback").get("hls").asText());
                }
            }
        }
    }

    /**
     * Waits until the worker process was given partitions of the ordinary jobs topic (where the
     * chunks go): once the second member of the group has some, the group is split.
     */
    private static void awaitOrdinaryJobPartitions(KinoraNode worker, Duration timeout) throws Exception {
        java.util.regex.Pattern assigned = java.util.regex.Pattern.compile("worker now reads job partitions \\[[^\\]]*chunks\\.jobs-\\d");
        Instant deadline = Instant.now().plus(timeout);
        while (!assigned.matcher(worker.logText()).find()) {
            if (!worker.isAlive() || Instant.now().isAfter(deadline)) {
                throw new AssertionError(worker.name + " was given no partition of the jobs topic; log:\n" + worker.logText());
            }
            Thread.sleep(100);
        }
    }

    /**
     * Every rung, read whole through its playlist as a player does: every source frame exactly
     * once, a constant frame step everywhere (no gap or overlap at a chunk join), and the same
     * ~4 s segments as the other rungs.
     */
    private static void assertSeamless(TestServer server, Path source, String master) throws Exception {
        int sourceFrames = packetTimes(server, source.toString()).size();
        assertThat(sourceFrames).isEqualTo(SECONDS * 30);
        List<String> firstSegments = null;
        for (String rung : List.of("240p", "360p", "480p")) {
            String playlistUrl = master.replace("master.m3u8", rung + "/index.m3u8");
            List<Double> pts = packetTimes(server, playlistUrl);
            assertThat(pts).as(rung + " frames").hasSize(sourceFrames);
            pts.sort(null);
            for (int i = 1; i < pts.size(); i++) {
                assertThat(pts.get(i) - pts.get(i - 1)).as(rung + " step before frame " + i + " at " + pts.get(i))
                        .isCloseTo(1 / 30.0, within(0.002));
            }
            assertThat(pts.getFirst()).as(rung + " first frame").isCloseTo(0.0, within(0.2));
            // Segments aligned across rungs: the same durations, ~4 s each.
            HttpResponse<String> playlist = server.get(playlistUrl, null);
            List<String> durations = playlist.body().lines().filter(l -> l.startsWith("#EXTINF")).toList();
            assertThat(durations).hasSize(7);
            if (firstSegments == null) firstSegments = durations;
            assertThat(durations).as(rung + " segment durations").isEqualTo(firstSegments);
            assertThat(playlist.body()).contains("seg_00007.m4s").endsWith("#EXT-X-ENDLIST\n");
        }
        assertThat(server.probeDuration(master)).isCloseTo(SECONDS, within(0.5));
        ServedManifests.check(server, master); // the joined chunks' manifests keep every player rule
    }

    private static String upload(TestServer server, String token, Path source) throws Exception {
        TusClient client = new TusClient();
        client.setUploadCreationURL(URI.create(server.base + "/api/v1/uploads").toURL());
        client.setHeaders(Map.of("Authorization", "Bearer " + token));
        TusUploader uploader = client.createUpload(new TusUpload(source.toFile()));
        uploader.setChunkSize(1 << 20);
        while (uploader.uploadChunk() > -1) { /* send it all */ }
        uploader.finish();
        HttpResponse<String> head = server.send(HttpRequest.newBuilder(uploader.getUploadURL().toURI())
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("Tus-Resumable", "1.0.0").header("Authorization", "Bearer " + token));
        return head.headers().firstValue("Kinora-Video-Id").orElseThrow();
    }

    /** Waits until a chunk job of the video is running; returns its part number. */
    private static int awaitRunningChunk(TestServer server, String videoId, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            try (Connection c = DriverManager.getConnection(server.kinora.databaseUrl());
                 var q = c.prepareStatement("SELECT part FROM jobs WHERE kind = 'transcode-chunk' AND video_id = ? AND status = 'running'")) {
                q.setString(1, videoId);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) return rs.getInt(1);
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no chunk job of video " + videoId + " started within " + timeout);
    }


    private static Map<Integer, String> runningChunkOwners(TestServer server, String videoId) throws Exception {
        Map<Integer, String> owners = new HashMap<>();
        try (Connection c = DriverManager.getConnection(server.kinora.databaseUrl());
             var q = c.prepareStatement("SELECT part, lease_owner FROM jobs WHERE kind = 'transcode-chunk' AND video_id = ? AND status = 'running'")) {
            q.setString(1, videoId);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) owners.put(rs.getInt(1), rs.getString(2));
            }
        }
        return owners;
    }

    private static Map<Integer, Integer> chunkAttempts(TestServer server, String videoId) throws Exception {
        Map<Integer, Integer> attempts = new HashMap<>();
        try (Connection c = DriverManager.getConnection(server.kinora.databaseUrl());
             var q = c.prepareStatement("SELECT part, attempts, status FROM jobs WHERE kind = 'transcode-chunk' AND video_id = ?")) {
            q.setString(1, videoId);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    assertThat(rs.getString("status")).as("chunk " + rs.getInt("part")).isEqualTo("done");
                    attempts.put(rs.getInt("part"), rs.getInt("attempts"));
                }
            }
        }
        return attempts;
    }

    /** The presentation time of every video packet ffprobe reads from a file or URL (a whole HLS rendition). */
    private static List<Double> packetTimes(TestServer server, String input) {
        String out = server.ffmpeg().runFfprobe(List.of("-v", "error", "-select_streams", "v:0",
                "-show_entries", "packet=pts_time", "-of", "csv=p=0", input));
        List<Double> times = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank() && !line.strip().equals("N/A")) times.add(Double.parseDouble(line.strip().replace(",", "")));
        }
        return times;
    }
}
