package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.server.cli.Main;
import picocli.CommandLine;

/**
 * {@code kinora backup} of an embedded-default instance while it runs, and {@code kinora restore}
 * into a fresh data directory: the accounts sign in, the video still plays (ffprobe reads the
 * whole HLS stream), the comment is there, and what happened after the backup is not.
 */
@Timeout(180)
class BackupRestoreIT {
    @TempDir
    Path dir;

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(new Main()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        assertThat(code).as("kinora " + String.join(" ", args) + ": " + err).isZero();
        return out.toString();
    }

    @Test
    void aBackupOfARunningInstanceRestoresOnAFreshDataDirectory() throws Exception {
        Path archive = dir.resolve("kinora-backup.zip");
        String video;
        String commentText = "Still here after the restore";
        try (TestServer a = new TestServer(dir.resolve("a"), Map.of())) {
            Api api = new Api(a);
            String alice = a.register("alice");
            video = a.upload(Files.readAllBytes(a.clip(dir, "clip.mp4", 320, 240, 2)), alice);
            assertThat(a.awaitEnd(video, alice).get("status").asText()).isEqualTo("ready");
            api.patch("/api/v1/videos/" + video, "{\"privacy\":\"public\"}", alice);
            assertThat(api.post("/api/v1/videos/" + video + "/comments", "{\"text\":\"" + commentText + "\"}", alice).status()).isEqualTo(201);

            String printed = run("backup", archive.toString(), "--data-dir", dir.resolve("a").toString());
            assertThat(printed).contains("Backed up");
            assertThat(archive).exists();
            // After the backup: not in it.
            a.register("bob");
        }
        // The running check: a second restore into a used directory is refused, the fresh one works.
        String restored = run("restore", archive.toString(), "--data-dir", dir.resolve("b").toString());
        assertThat(restored).contains("Restored");
        int refused = new CommandLine(new Main()).setErr(new PrintWriter(new StringWriter()))
                .execute("restore", archive.toString(), "--data-dir", dir.resolve("b").toString());
        assertThat(refused).isNotZero();

        try (TestServer b = new TestServer(dir.resolve("b"), Map.of())) {
            Api api = new Api(b);
            Api.Reply signIn = api.post("/api/v1/auth/token", "{\"username\":\"alice\",\"password\":\"correct horse\"}", null);
            assertThat(signIn.status()).isEqualTo(200);
            assertThat(api.post("/api/v1/auth/token", "{\"username\":\"bob\",\"password\":\"correct horse\"}", null).status()).isEqualTo(401);
            String alice = signIn.json().get("access_token").asText();
            JsonNode v = b.video(video, alice);
            assertThat(v.get("status").asText()).isEqualTo("ready");
            assertThat(b.probeDuration(v.get("playback").get("hls").asText())).isBetween(1.5, 2.5);
            assertThat(api.ok("/api/v1/videos/" + video + "/comments", null).get("items").findValuesAsText("text")).containsExactly(commentText);
            // New rows get fresh ids after the restored ones (sequences came back too).
            assertThat(b.upload(Files.readAllBytes(dir.resolve("clip.mp4")), alice)).isNotEqualTo(video);
        }
    }
}
