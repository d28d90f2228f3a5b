package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Stopping and starting Kinora on the same data directory keeps accounts, videos and upload state. */
@Timeout(300)
class RestartIT {
    @TempDir
    static Path dir;

    @Test
    void restartingKeepsAllData() throws Exception {
        Path data = dir.resolve("data");
        String location;
        String videoId;
        try (TestServer first = new TestServer(data, Map.of())) {
            String token = first.register("dave");
            HttpResponse<String> created = first.send(HttpRequest.newBuilder(URI.create(first.base + "/api/v1/uploads"))
                    .POST(HttpRequest.BodyPublishers.ofString("abc")).header("Tus-Resumable", "1.0.0")
                    .header("Authorization", "Bearer " + token).header("Upload-Length", "10")
                    .header("Content-Type", "application/offset+octet-stream"));
            assertThat(created.statusCode()).isEqualTo(201);
            location = created.headers().firstValue("Location").orElseThrow();
            videoId = created.headers().firstValue("Kinora-Video-Id").orElseThrow();
        }
        try (TestServer second = new TestServer(data, Map.of())) {
            HttpResponse<String> login = second.post("/api/v1/auth/token", "{\"username\":\"dave\",\"password\":\"correct horse\"}", null);
            assertThat(login.statusCode()).isEqualTo(200);
            String token = TestServer.JSON.readTree(login.body()).get("access_token").asText();
            assertThat(second.video(videoId, token).get("status").asText()).isEqualTo("uploading");
            HttpResponse<String> head = second.send(HttpRequest.newBuilder(URI.create(second.base + location))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).header("Tus-Resumable", "1.0.0")
                    .header("Authorization", "Bearer " + token));
            assertThat(head.headers().firstValue("Upload-Offset")).contains("3");
        }
    }
}
