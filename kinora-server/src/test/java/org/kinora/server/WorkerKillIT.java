package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.server.config.ConfigLoader;
import org.kinora.server.config.KinoraConfig;

/**
 * A `kinora worker` process is killed (SIGKILL) in the middle of a transcode; its lease runs out,
 * another worker takes the job over and the video still becomes ready.
 */
@Timeout(600)
class WorkerKillIT {
    @TempDir
    static Path dir;

    @Test
    void aJobHeldByAKilledWorkerIsReclaimedAndFinished() throws Exception {
        // The API process runs no jobs itself, so the job must go to the separate worker.
        try (TestServer server = new TestServer(dir.resolve("data"), Map.of("worker.concurrency", "0", "worker.lease-seconds", "3"))) {
            String token = server.register("carol");
            Path source = server.clip(dir, "long.mp4", 1280, 720, 20);

            KinoraNode doomed = startWorkerProcess(server, "medium");
            try {
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
                String videoId = head.headers().firstValue("Kinora-Video-Id").orElseThrow();

                // Wait until the external worker is visibly transcoding, then kill it without warning.
                server.awaitVideo(videoId, token, Duration.ofSeconds(60), v -> v.get("progress").asInt() > 2);
                assertThat(jobAttempts(server)).isEqualTo(1);
                doomed.kill();
                int progressAtKill = server.video(videoId, token).get("progress").asInt();
                assertThat(progressAtKill).isLessThan(100);

                // A new worker (in this JVM) takes the job once the dead one's lease has lapsed.
                KinoraConfig workerConfig = ConfigLoader.load(Optional.empty(), Map.of(), Map.of(
                        "data.dir", server.dataDir.toString(), "database.url", server.kinora.databaseUrl(),
                        "worker.lease-seconds", "3", "transcode.x264-preset", "ultrafast"));
                Instant restarted = Instant.now();
                try (Kinora worker = Kinora.start(workerConfig, Kinora.Role.WORKER)) {
                    JsonNode done = server.awaitVideo(videoId, token, Duration.ofSeconds(180), v -> v.get("progress").asInt() == 100);
                    assertThat(done.get("status").asText()).isEqualTo("ready");
                    assertThat(done.get("renditions").findValuesAsText("name")).containsExactly("240p", "360p", "480p", "720p");
                }
                assertThat(jobAttempts(server)).isEqualTo(2);
                assertThat(Duration.between(restarted, Instant.now())).isLessThan(Duration.ofSeconds(180));
                double sourceDuration = server.probeDuration(source.toString());
                String hls = server.video(videoId, token).get("playback").get("hls").asText();
                assertThat(server.probeDuration(hls)).isCloseTo(sourceDuration, org.assertj.core.api.Assertions.within(0.5));
            } finally {
                doomed.kill();
            }
        }
    }

    /** `kinora worker` in its own JVM, sharing the test server's database and blob directory. */
    private static KinoraNode startWorkerProcess(TestServer server, String preset) throws Exception {
        return KinoraNode.start("worker-kill-it", "worker", server.dataDir, Map.of(
                "database.url", server.kinora.databaseUrl(),
                "worker.lease-seconds", "3",
                "transcode.x264-preset", preset));
    }

    private static int jobAttempts(TestServer server) throws Exception {
        try (Connection c = DriverManager.getConnection(server.kinora.databaseUrl());
             ResultSet rs = c.createStatement().executeQuery("SELECT attempts FROM jobs WHERE kind = 'transcode'")) {
            assertThat(rs.next()).isTrue();
            return rs.getInt(1);
        }
    }
}
