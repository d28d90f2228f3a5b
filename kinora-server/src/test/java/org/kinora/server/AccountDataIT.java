package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A person's own data: the export zip holds their account, videos, comments, subscriptions and
 * the original files; deleting the account removes the videos and comment texts, keeps the
 * channels' counts right, signs them out and frees the username, and an admin can do it too.
 */
@Timeout(150)
class AccountDataIT {
    @TempDir
    static Path dir;
    static TestServer server;
    static Api api;
    static String admin;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(dir.resolve("data"), Map.of());
        api = new Api(server);
        admin = server.register("root");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static Map<String, byte[]> unzip(byte[] zip) throws Exception {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) entries.put(e.getName(), in.readAllBytes());
        }
        return entries;
    }

    @Test
    void exportThenDeleteTheAccount() throws Exception {
        String paula = server.register("paula");
        String paulaId = api.userId(paula);
        String other = server.register("otto");
        String ottoId = api.userId(other);
        Path clip = server.clip(dir, "clip.mp4", 320, 240, 1);
        String video = server.upload(Files.readAllBytes(clip), paula);
        assertThat(server.awaitEnd(video, paula).get("status").asText()).isEqualTo("ready");
        String ottoVideo = api.seedVideo(ottoId, "Otto's video", "public", java.time.Instant.now());
        JsonNode comment = api.post("/api/v1/videos/" + ottoVideo + "/comments", "{\"text\":\"Paula was here\"}", paula).json();
        assertThat(api.put("/api/v1/channels/" + ottoId + "/subscription", null, paula).status()).isEqualTo(200);
        assertThat(api.ok("/api/v1/channels/" + ottoId, null).get("subscriber_count").asLong()).isEqualTo(1);

        HttpResponse<byte[]> export = server.http.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/me/export"))
                .header("Authorization", "Bearer " + paula).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/zip");
        Map<String, byte[]> files = unzip(export.body());
        assertThat(TestServer.JSON.readTree(files.get("account.json")).get("username").asText()).isEqualTo("paula");
        assertThat(TestServer.JSON.readTree(files.get("videos.json")).findValuesAsText("id")).containsExactly(video);
        assertThat(TestServer.JSON.readTree(files.get("comments.json")).findValuesAsText("body")).containsExactly("Paula was here");
        assertThat(TestServer.JSON.readTree(files.get("subscriptions.json")).findValuesAsText("channel_id")).containsExactly(ottoId);
        assertThat(TestServer.sha256(new ByteArrayInputStream(files.get("originals/" + video + "/source")))).isEqualTo(TestServer.sha256(clip));
        assertThat(server.get("/api/v1/me/export", other).statusCode()).isEqualTo(200);

        assertThat(api.post("/api/v1/me/deletion", "{\"password\":\"wrong horse\"}", paula).code()).isEqualTo("wrong_password");
        assertThat(api.post("/api/v1/me/deletion", "{\"password\":\"correct horse\"}", paula).status()).isEqualTo(204);

        assertThat(api.get("/api/v1/me", paula).status()).isEqualTo(401);
        assertThat(api.post("/api/v1/auth/token", "{\"username\":\"paula\",\"password\":\"correct horse\"}", null).status()).isEqualTo(401);
        assertThat(api.get("/api/v1/videos/" + video, null).status()).isEqualTo(404);
        assertThat(server.kinora.blobs().stat(org.kinora.core.blob.BlobKeys.original(video))).isEmpty();
        assertThat(api.get("/api/v1/comments/" + comment.get("id").asText(), null).raw().body()).doesNotContain("Paula was here");
        assertThat(api.ok("/api/v1/channels/" + ottoId, null).get("subscriber_count").asLong()).isZero();
        JsonNode row = api.ok("/api/v1/admin/users?q=deleted-" + paulaId.substring(0, 4), admin).get("items").get(0);
        assertThat(row.get("email").asText()).endsWith("@deleted.invalid");
        // The name and the address are free again.
        assertThat(api.post("/api/v1/auth/register", "{\"username\":\"paula\",\"email\":\"paula@example.org\",\"password\":\"correct horse\"}", null)
                .status()).isEqualTo(201);

        assertThat(api.delete("/api/v1/admin/users/" + ottoId + "?reason=spam", other).status()).isEqualTo(403);
        assertThat(api.delete("/api/v1/admin/users/" + ottoId, admin).code()).isEqualTo("missing_reason");
        assertThat(api.delete("/api/v1/admin/users/" + ottoId + "?reason=spam", admin).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/videos/" + ottoVideo, null).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/me", other).status()).isEqualTo(401);
    }
}
