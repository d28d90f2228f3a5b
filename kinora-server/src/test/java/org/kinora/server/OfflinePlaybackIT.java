package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.server.auth.Secrets;
import org.kinora.server.engines.ExternalPostgres;
import org.kinora.server.playback.PlaybackTokens;

/**
 * PostgreSQL stopped mid-playback: a public video keeps playing through the origin and through
 * the two CDN tiers (whose caches are cold for most of its files), writes and sign-ins answer 503
 * with Retry-After, and everything works again by itself once PostgreSQL is back.
 */
@Timeout(240)
class OfflinePlaybackIT {
    @TempDir
    Path dir;

    @Test
    void publicVideoPlaysWhileThePostgresServerIsStoppedAndAllRecoversAfter() throws Exception {
        try (ExternalPostgres pg = ExternalPostgres.start();
             TestServer server = new TestServer(dir.resolve("kinora"), Map.of("database.url", pg.createDatabase("kinora")))) {
            String owner = server.register("offline");
            String videoId = server.upload(Files.readAllBytes(server.clip(dir, "clip.mp4", 320, 240, 3)), owner);
            server.awaitEnd(videoId, owner);
            String hls = server.video(videoId, owner).get("playback").get("hls").asText();
            List<String> objects = MediaObjects.discover(server, hls);

            byte[] key = Secrets.load(Optional.of(TestServer.SECRET), dir.resolve("secrets")).derive(PlaybackTokens.KEY_PURPOSE);
            Path keyFile = Files.writeString(dir.resolve("playback.key"), Base64.getEncoder().encodeToString(key));
            PlaybackTokens tokens = new PlaybackTokens(key, Duration.ofHours(1), Instant::now);
            try (NginxTier shield = NginxTier.start("shield", dir, server.kinora.port(), keyFile);
                 NginxTier edge = NginxTier.start("edge", dir, shield.port, keyFile)) {
                // The edge has seen the playlist and the revocation list, nothing else.
                assertThat(fetch(server, EdgeCacheIT.mediaUrl(edge, tokens.issue(videoId, null), videoId, "master.m3u8")).statusCode())
                        .isEqualTo(200);

                pg.stop();
                boolean first = true;
                for (String object : objects) {
                    String token = tokens.issue(videoId, "viewer-" + object.hashCode());
                    String origin = server.base + "/media/" + token + "/" + videoId + "/" + object;
                    long started = System.nanoTime();
                    assertThat(fetch(server, origin).statusCode()).as("origin " + object).isEqualTo(200);
                    HttpResponse<byte[]> viaEdge = fetch(server, EdgeCacheIT.mediaUrl(edge, token, videoId, object));
                    // Only the first request waits for the pool to give up (5 s); after that nothing waits on the database.
                    if (!first) assertThat(Duration.ofNanos(System.nanoTime() - started)).as(object).isLessThan(Duration.ofSeconds(2));
                    first = false;
                    assertThat(viaEdge.statusCode()).as("edge " + object).isEqualTo(200);
                    assertThat(TestServer.sha256(new java.io.ByteArrayInputStream(viaEdge.body())))
                            .isEqualTo(server.sha256OfBlob("videos/" + videoId + "/" + object));
                }
                // The edge fetched the cold files from the origin while the database was down.
                assertThat(shield.log().stream().filter(NginxTier.LogLine::isObject).filter(NginxTier.LogLine::reachedUpstream)
                        .count()).isGreaterThanOrEqualTo(objects.size() - 1);

                HttpResponse<String> signIn = server.post("/api/v1/auth/token", "{\"username\":\"offline\",\"password\":\"correct horse\"}", null);
                assertThat(signIn.statusCode()).as(signIn.body()).isEqualTo(503);
                assertThat(signIn.headers().firstValue("Retry-After")).isPresent();
                assertThat(signIn.body()).contains("database_unavailable");
                HttpResponse<String> write = patchTitle(server, videoId, owner, "while down");
                assertThat(write.statusCode()).as(write.body()).isEqualTo(503);
                assertThat(write.headers().firstValue("Retry-After")).isPresent();

                pg.restart();
                Instant deadline = Instant.now().plusSeconds(60);
                HttpResponse<String> again = patchTitle(server, videoId, owner, "back");
                while (again.statusCode() != 200 && Instant.now().isBefore(deadline)) {
                    Thread.sleep(500);
                    again = patchTitle(server, videoId, owner, "back");
                }
                assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
                assertThat(server.post("/api/v1/auth/token", "{\"username\":\"offline\",\"password\":\"correct horse\"}", null)
                        .statusCode()).isEqualTo(200);
                assertThat(server.video(videoId, owner).get("title").asText()).isEqualTo("back");
                // Playback checks go to the database again: a video made private stops playing at the origin.
                server.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/videos/" + videoId))
                        .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"privacy\":\"private\"}"))
                        .header("Content-Type", "application/json").header("Authorization", "Bearer " + owner));
                String anonymous = server.base + "/media/" + tokens.issue(videoId, null) + "/" + videoId + "/master.m3u8";
                Instant privateDeadline = Instant.now().plusSeconds(5);
                while (fetch(server, anonymous).statusCode() == 200 && Instant.now().isBefore(privateDeadline)) Thread.sleep(200);
                assertThat(fetch(server, anonymous).statusCode()).isEqualTo(404);
            }
        }
    }

    private static HttpResponse<String> patchTitle(TestServer server, String videoId, String owner, String title) throws Exception {
        return server.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/videos/" + videoId))
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"title\":\"" + title + "\"}"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + owner).timeout(Duration.ofSeconds(30)));
    }

    private static HttpResponse<byte[]> fetch(TestServer server, String url) throws Exception {
        return server.http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }
}
