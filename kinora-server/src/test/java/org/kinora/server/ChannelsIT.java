package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Channels (profile, pictures), and notifications end to end: a real upload through tus and the
 * transcoder tells subscribers and the owner, comments tell the owner and the replied-to, and an
 * open SSE stream receives them live.
 */
@Timeout(300)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChannelsIT {
    @TempDir
    static Path dir;
    static TestServer server;
    static Api api;
    static String alice;
    static String aliceId;
    static String bob;
    static String carol;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(dir.resolve("data"), Map.of());
        api = new Api(server);
        alice = server.register("alice");
        bob = server.register("bob");
        carol = server.register("carol");
        aliceId = api.userId(alice);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    @Order(1)
    void everyUserHasAChannelThatItsOwnerEdits() throws Exception {
        JsonNode byHandle = api.ok("/api/v1/channels/@alice", null);
        assertThat(byHandle.get("id").asText()).isEqualTo(aliceId);
        assertThat(byHandle.get("display_name").asText()).isEqualTo("alice");
        assertThat(byHandle.get("subscriber_count").asLong()).isZero();
        assertThat(byHandle.get("video_count").asLong()).isZero();
        assertThat(byHandle.get("avatar_url").isNull()).isTrue();
        assertThat(api.ok("/api/v1/channels/" + aliceId, null).get("handle").asText()).isEqualTo("alice");
        assertThat(api.ok("/api/v1/me", alice).get("channel").get("handle").asText()).isEqualTo("alice");

        Api.Reply edited = api.patch("/api/v1/channels/@alice",
                "{\"display_name\":\"Alice Cooks\",\"description\":\"Recipes <3\",\"handle\":\"alicecooks\"}", alice);
        assertThat(edited.status()).isEqualTo(200);
        assertThat(edited.json().get("handle").asText()).isEqualTo("alicecooks");
        assertThat(api.ok("/api/v1/channels/@AliceCooks", null).get("description").asText()).isEqualTo("Recipes <3");
        assertThat(api.get("/api/v1/channels/@alice", null).status()).isEqualTo(404);

        assertThat(api.patch("/api/v1/channels/@alicecooks", "{\"handle\":\"BOB\"}", alice).code()).isEqualTo("handle_taken");
        assertThat(api.patch("/api/v1/channels/@alicecooks", "{\"handle\":\"a b\"}", alice).code()).isEqualTo("invalid_handle");
        assertThat(api.patch("/api/v1/channels/@alicecooks", "{\"display_name\":\"\"}", alice).code()).isEqualTo("invalid_display_name");
        assertThat(api.patch("/api/v1/channels/@alicecooks", "{\"display_name\":\"Mallory\"}", bob).status()).isEqualTo(403);
        // A later account whose username is a taken handle still gets a channel.
        String late = server.register("alicecooks");
        assertThat(api.ok("/api/v1/me", late).get("channel").get("handle").asText()).startsWith("alicecooks-");
    }

    @Test
    @Order(2)
    void avatarsAndBannersAreResizedAndBadPicturesRefused() throws Exception {
        Api.Reply avatar = upload("/api/v1/channels/" + aliceId + "/avatar", png(800, 600), "image/png", alice);
        assertThat(avatar.status()).isEqualTo(200);
        String avatarUrl = avatar.json().get("avatar_url").asText();
        assertThat(avatarUrl).startsWith("/images/channels/" + aliceId + "/avatar-").endsWith(".jpg");
        HttpResponse<byte[]> image = server.http.send(HttpRequest.newBuilder(URI.create(server.base + avatarUrl)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(image.statusCode()).isEqualTo(200);
        assertThat(image.headers().firstValue("Content-Type").orElseThrow()).isEqualTo("image/jpeg");
        assertThat(image.headers().firstValue("Cache-Control").orElseThrow()).contains("immutable");
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(image.body()));
        assertThat(decoded.getWidth()).isEqualTo(256);
        assertThat(decoded.getHeight()).isEqualTo(256);

        Api.Reply banner = upload("/api/v1/channels/@alicecooks/banner", png(3000, 1000), "image/png", alice);
        BufferedImage b = ImageIO.read(new ByteArrayInputStream(server.http.send(HttpRequest.newBuilder(
                URI.create(server.base + banner.json().get("banner_url").asText())).build(), HttpResponse.BodyHandlers.ofByteArray()).body()));
        assertThat(b.getWidth()).isEqualTo(2048);
        assertThat(b.getHeight()).isEqualTo(340);

        // A new avatar replaces the old file; video JSON and channel JSON point at the new one.
        Api.Reply again = upload("/api/v1/channels/" + aliceId + "/avatar", png(300, 300), "image/png", alice);
        assertThat(again.json().get("avatar_url").asText()).isNotEqualTo(avatarUrl);
        assertThat(api.get(avatarUrl, null).status()).isEqualTo(404);

        Api.Reply text = upload("/api/v1/channels/" + aliceId + "/avatar", "not a picture".getBytes(StandardCharsets.UTF_8), "image/png", alice);
        assertThat(text.status()).isEqualTo(415);
        assertThat(text.code()).isEqualTo("unsupported_image");
        Api.Reply huge = upload("/api/v1/channels/" + aliceId + "/avatar", new byte[9 * 1024 * 1024], "image/png", alice);
        assertThat(huge.status()).isEqualTo(413);
        assertThat(huge.code()).isEqualTo("image_too_large");
        assertThat(upload("/api/v1/channels/" + aliceId + "/avatar", png(10, 10), "image/png", bob).status()).isEqualTo(403);
        assertThat(upload("/api/v1/channels/" + aliceId + "/avatar", new byte[0], "image/png", alice).code()).isEqualTo("empty_image");
        assertThat(api.get("/images/channels/" + aliceId + "/..%2Fsecrets.jpg", null).status()).isEqualTo(404);
    }

    @Test
    @Order(3)
    void notificationsArriveLiveForNewVideosCommentsRepliesAndProcessing() throws Exception {
        api.put("/api/v1/channels/" + aliceId + "/subscription", null, carol);
        SseStream carolStream = SseStream.open(server, carol);
        SseStream aliceStream = SseStream.open(server, alice);
        assertThat(carolStream.next("unread", Duration.ofSeconds(5)).get("unread_count").asLong()).isZero();
        aliceStream.next("unread", Duration.ofSeconds(5));

        String videoId = uploadVideo(alice, "Pancakes");
        JsonNode announced = carolStream.next("notification", Duration.ofSeconds(120));
        assertThat(announced.get("type").asText()).isEqualTo("new_video");
        assertThat(announced.get("video_id").asText()).isEqualTo(videoId);
        assertThat(announced.get("message").asText()).contains("Alice Cooks").contains("Pancakes");
        assertThat(announced.get("actor").get("handle").asText()).isEqualTo("alicecooks");
        JsonNode ready = aliceStream.next("notification", Duration.ofSeconds(120));
        assertThat(ready.get("type").asText()).isEqualTo("video_ready");

        // The video as a page sees it: channel name, on the channel page and in the feed.
        JsonNode video = api.ok("/api/v1/videos/" + videoId, carol);
        assertThat(video.get("channel").get("display_name").asText()).isEqualTo("Alice Cooks");
        assertThat(video.get("channel").get("avatar_url").asText()).startsWith("/images/channels/");
        assertThat(api.ok("/api/v1/channels/@alicecooks/videos", null).get("items").get(0).get("id").asText()).isEqualTo(videoId);
        assertThat(api.ok("/api/v1/channels/@alicecooks", null).get("video_count").asLong()).isEqualTo(1);
        assertThat(api.ok("/api/v1/me/feed", carol).get("items").get(0).get("id").asText()).isEqualTo(videoId);

        // bob comments: alice hears; alice replies: bob hears (and alice is not told of her own reply).
        SseStream bobStream = SseStream.open(server, bob);
        bobStream.next("unread", Duration.ofSeconds(5));
        String comment = api.post("/api/v1/videos/" + videoId + "/comments", "{\"text\":\"Looks  tasty!\"}", bob).json().get("id").asText();
        JsonNode onMyVideo = aliceStream.next("notification", Duration.ofSeconds(10));
        assertThat(onMyVideo.get("type").asText()).isEqualTo("comment");
        assertThat(onMyVideo.get("comment_id").asText()).isEqualTo(comment);
        assertThat(onMyVideo.get("message").asText()).contains("Looks tasty!");
        api.post("/api/v1/videos/" + videoId + "/comments", "{\"text\":\"Thanks!\",\"parent_id\":\"" + comment + "\"}", alice);
        JsonNode reply = bobStream.next("notification", Duration.ofSeconds(10));
        assertThat(reply.get("type").asText()).isEqualTo("reply");
        assertThat(reply.get("actor").get("id").asText()).isEqualTo(aliceId);
        assertThat(bobStream.next("unread", Duration.ofSeconds(5)).get("unread_count").asLong()).isEqualTo(1);

        JsonNode list = api.ok("/api/v1/notifications", alice);
        assertThat(list.get("items").findValuesAsText("type")).containsExactly("comment", "video_ready");
        assertThat(api.ok("/api/v1/notifications/unread-count", alice).get("unread_count").asLong()).isEqualTo(2);
        long first = list.get("items").get(0).get("id").asLong();
        JsonNode marked = api.post("/api/v1/notifications/read", "{\"ids\":[" + first + "]}", alice).json();
        assertThat(marked.get("marked").asInt()).isEqualTo(1);
        assertThat(marked.get("unread_count").asLong()).isEqualTo(1);
        assertThat(api.post("/api/v1/notifications/read", "{}", alice).json().get("unread_count").asLong()).isZero();
        assertThat(api.ok("/api/v1/notifications", alice).get("items").get(0).get("read").asBoolean()).isTrue();
        assertThat(api.get("/api/v1/notifications", null).status()).isEqualTo(401);

        carolStream.close();
        aliceStream.close();
        bobStream.close();
    }

    private static String uploadVideo(String token, String title) throws Exception {
        Path clip = server.clip(dir, "clip.mp4", 320, 240, 2);
        byte[] bytes = Files.readAllBytes(clip);
        String meta = "filename " + b64("clip.mp4") + ",title " + b64(title) + ",privacy " + b64("public");
        HttpResponse<String> created = server.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/uploads"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).header("Tus-Resumable", "1.0.0")
                .header("Authorization", "Bearer " + token).header("Upload-Length", Integer.toString(bytes.length))
                .header("Upload-Metadata", meta).header("Content-Type", "application/offset+octet-stream"));
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Upload-Offset").orElseThrow()).isEqualTo(Integer.toString(bytes.length));
        return created.headers().firstValue("Kinora-Video-Id").orElseThrow();
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static Api.Reply upload(String path, byte[] body, String type, String token) throws Exception {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(URI.create(server.base + path))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", type).header("Authorization", "Bearer " + token));
        return new Api.Reply(r.statusCode(), r.body().isBlank() ? null : TestServer.JSON.readTree(r.body()), r);
    }

    private static byte[] png(int w, int h) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, 0xff000000 | (x * 255 / w) << 16 | (y * 255 / h) << 8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    /** A live SSE connection as a browser's EventSource would open it, events parsed as they arrive. */
    static final class SseStream implements AutoCloseable {
        record Event(String name, JsonNode data) {}

        final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        CompletableFuture<HttpResponse<Stream<String>>> response;

        static SseStream open(TestServer server, String token) {
            return openPath(server, "/api/v1/notifications/stream?access_token=" + token);
        }

        /** Any SSE endpoint of the server (path with its query). */
        static SseStream openPath(TestServer server, String path) {
            SseStream s = new SseStream();
            s.response = server.http.sendAsync(HttpRequest.newBuilder(URI.create(server.base + path))
                    .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
            // Read on a thread of its own: a plain thenAccept runs on the caller's thread when the
            // headers came first, and reading the stream then blocks the test forever.
            s.response.thenAcceptAsync(r -> {
                String[] name = {null};
                r.body().forEach(line -> {
                    if (line.startsWith("event:")) name[0] = line.substring(6).trim();
                    else if (line.startsWith("data:")) {
                        try {
                            s.events.add(new Event(name[0], TestServer.JSON.readTree(line.substring(5).trim())));
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                });
            }, task -> Thread.ofVirtual().start(task));
            return s;
        }

        JsonNode next(String name, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                Event e = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (e == null) throw new AssertionError("no '" + name + "' event within " + timeout);
                if (e.name().equals(name)) return e.data();
            }
        }

        @Override
        public void close() {
            response.thenAccept(r -> r.body().close());
            response.cancel(true);
        }
    }
}
