package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The duration cap and the time budget through a real server, configured tiny so that ordinary
 * clips cross them: a 2 s cap, and a budget of 0.001 s per second of video with no base.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TranscodeLimitsIT {
    @TempDir
    static Path dir;
    static TestServer server;
    static String alice;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(dir.resolve("data"), Map.of("transcode.max-duration-seconds", "2",
                "transcode.time-budget-factor", "0.001", "transcode.time-budget-base-seconds", "0"));
        alice = server.register("alice");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static JsonNode failedAtFirstAttempt(Path clip) throws Exception {
        String id = server.upload(Files.readAllBytes(clip), alice);
        JsonNode video = server.awaitEnd(id, alice);
        assertThat(video.get("status").asText()).as(video.toString()).isEqualTo("failed");
        assertThat(video.get("playback").isNull()).isTrue();
        assertThat(server.jobAttempts(id)).as("attempts").isEqualTo(1);
        return video;
    }

    @Test
    void aVideoLongerThanTheCapFailsAtOnce() throws Exception {
        JsonNode video = failedAtFirstAttempt(server.clip(dir, "long.mp4", 160, 120, 3));
        assertThat(video.get("failure_reason").asText()).startsWith("The video is 3.").endsWith(" long; this server accepts videos up to 2.0 s.");
    }

    /** The flat limit used to be 12 h per ffmpeg run, five attempts. */
    @Test
    void aTranscodeOverItsTimeBudgetIsStoppedAndFailsAtOnce() throws Exception {
        JsonNode video = failedAtFirstAttempt(server.clip(dir, "short.mp4", 160, 120, 1));
        assertThat(video.get("failure_reason").asText()).startsWith("Transcoding took longer than the ")
                .contains("allowed for a video of this length and was stopped");
    }
}
