package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Likes, subscriptions and the feed, comments, views, history, playlists, roles, quota and
 * idempotency against a real server and its embedded PostgreSQL, including the races.
 */
@Timeout(180)
class EngagementIT {
    /** The stated bound on view counts and resume positions: flush interval (1 s here) plus one flush. */
    static final Duration VIEW_BOUND = Duration.ofMillis(2500);

    @TempDir
    static Path dir;
    static TestServer server;
    static Api api;
    static String admin;
    static String alice;
    static String aliceId;
    static String bob;
    static String bobId;
    static String carol;
    static String aliceVideo;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(dir.resolve("data"), Map.of("views.flush-interval-ms", "1000",
                "ratelimit.comments-per-minute", "10"));
        api = new Api(server);
        admin = server.register("root"); // the first account administers the instance
        alice = server.register("alice");
        bob = server.register("bob");
        carol = server.register("carol");
        aliceId = api.userId(alice);
        bobId = api.userId(bob);
        aliceVideo = api.seedVideo(aliceId, "Alice's first video", "public", Instant.now().minusSeconds(3600));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void videoJsonCarriesTheChannelAndTheCounters() throws Exception {
        JsonNode v = api.ok("/api/v1/videos/" + aliceVideo, null);
        assertThat(v.get("channel").get("id").asText()).isEqualTo(aliceId);
        assertThat(v.get("channel").get("handle").asText()).isEqualTo("alice");
        assertThat(v.get("channel").get("display_name").asText()).isEqualTo("alice");
        assertThat(v.has("view_count")).isTrue();
        assertThat(v.get("like_count").asLong()).isZero();
        assertThat(v.get("my_rating").isNull()).isTrue(); // anonymous
        JsonNode listed = api.ok("/api/v1/videos", null).get("items");
        assertThat(listed.findValuesAsText("id")).contains(aliceVideo);
        assertThat(listed.get(0).get("channel").get("handle").asText()).isNotBlank();
    }

    @Test
    void aDoubleLikeCountsOnceAndRatingsSwitch() throws Exception {
        String video = api.seedVideo(aliceId, "Likeable", "public", Instant.now());
        String path = "/api/v1/videos/" + video + "/rating";
        // Twenty identical requests at once from one user: one like.
        List<Integer> statuses = Api.concurrently(20, () -> api.put(path, "{\"rating\":\"like\"}", bob).status());
        assertThat(statuses).containsOnly(200);
        assertThat(api.ok("/api/v1/videos/" + video, bob).get("like_count").asLong()).isEqualTo(1);
        assertThat(api.ok("/api/v1/videos/" + video, bob).get("my_rating").asText()).isEqualTo("like");

        // Several users at once: each counts once.
        List<String> users = List.of(carol, admin, alice);
        Api.concurrently(3, () -> {
            int i = COUNTER.getAndIncrement() % 3;
            return api.put(path, "{\"rating\":\"like\"}", users.get(i)).status();
        });
        assertThat(api.ok("/api/v1/videos/" + video, null).get("like_count").asLong()).isEqualTo(4);

        // Switching is one change, also under a race.
        Api.concurrently(10, () -> api.put(path, "{\"rating\":\"dislike\"}", bob).status());
        JsonNode after = api.ok("/api/v1/videos/" + video, bob);
        assertThat(after.get("like_count").asLong()).isEqualTo(3);
        assertThat(after.get("dislike_count").asLong()).isEqualTo(1);
        Api.Reply none = api.put(path, "{\"rating\":\"none\"}", bob);
        assertThat(none.json().get("dislike_count").asLong()).isZero();
        assertThat(none.json().get("rating").asText()).isEqualTo("none");

        assertThat(api.put(path, "{\"rating\":\"love\"}", bob).code()).isEqualTo("invalid_rating");
        assertThat(api.put(path, "{\"rating\":\"like\"}", null).status()).isEqualTo(401);
        String secret = api.seedVideo(aliceId, "Private", "private", Instant.now());
        assertThat(api.put("/api/v1/videos/" + secret + "/rating", "{\"rating\":\"like\"}", bob).status()).isEqualTo(404);
    }

    private static final AtomicInteger COUNTER = new AtomicInteger();

    @Test
    void aDoubleSubscribeCountsOnceAndUnsubscribeIsIdempotent() throws Exception {
        String dave = server.register("dave");
        String path = "/api/v1/channels/@dave/subscription";
        List<Integer> statuses = Api.concurrently(20, () -> api.put(path, null, carol).status());
        assertThat(statuses).containsOnly(200);
        JsonNode channel = api.ok("/api/v1/channels/@dave", carol);
        assertThat(channel.get("subscriber_count").asLong()).isEqualTo(1);
        assertThat(channel.get("subscribed").asBoolean()).isTrue();
        assertThat(api.ok("/api/v1/channels/@dave", null).get("subscribed").isNull()).isTrue();

        Api.concurrently(10, () -> api.delete(path, carol).status());
        assertThat(api.ok("/api/v1/channels/@dave", carol).get("subscriber_count").asLong()).isZero();
        assertThat(api.delete(path, carol).json().get("subscribed").asBoolean()).isFalse();
        assertThat(api.put(path, null, dave).code()).isEqualTo("cannot_subscribe_to_self");
        assertThat(api.put("/api/v1/channels/@nobody-here/subscription", null, carol).status()).isEqualTo(404);
    }

    @Test
    void theFeedHasTheNewestPublicVideosOfFollowedChannelsPageByPage() throws Exception {
        String erin = server.register("erin");
        String frank = server.register("frank");
        String gina = server.register("gina");
        String reader = server.register("reader");
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        List<String> expected = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) {
            expected.add(api.seedVideo(api.userId(erin), "erin " + i, "public", t0.plusSeconds(i * 60L)));
            if (i < 4) expected.add(api.seedVideo(api.userId(frank), "frank " + i, "public", t0.plusSeconds(i * 60L + 30)));
        }
        api.seedVideo(api.userId(erin), "erin private", "private", t0.plusSeconds(10_000));
        api.seedVideo(api.userId(erin), "erin unlisted", "unlisted", t0.plusSeconds(10_001));
        api.seedVideo(api.userId(gina), "gina (not followed)", "public", t0.plusSeconds(20_000));
        // Same second, two channels: the id breaks the tie, and the cursor must not skip either.
        expected.add(api.seedVideo(api.userId(erin), "tie a", "public", t0.plusSeconds(30_000)));
        expected.add(api.seedVideo(api.userId(frank), "tie b", "public", t0.plusSeconds(30_000)));
        api.put("/api/v1/channels/@erin/subscription", null, reader);
        api.put("/api/v1/channels/@frank/subscription", null, reader);

        List<JsonNode> feed = api.all("/api/v1/me/feed", reader, 3, n -> false);
        List<String> got = feed.stream().map(n -> n.get("id").asText()).toList();
        assertThat(got).hasSize(expected.size()).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
        List<String> published = feed.stream().map(n -> n.get("published_at").asText()).toList();
        assertThat(published).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(feed.getFirst().get("channel").get("handle").asText()).isIn("erin", "frank");

        JsonNode subs = api.ok("/api/v1/me/subscriptions", reader).get("items");
        assertThat(subs.findValuesAsText("handle")).containsExactly("frank", "erin");
        assertThat(api.get("/api/v1/me/feed", null).status()).isEqualTo(401);
        assertThat(api.get("/api/v1/me/feed?cursor=not-a-cursor", reader).code()).isEqualTo("invalid_cursor");

        JsonNode channelVideos = api.ok("/api/v1/channels/@erin/videos?limit=100", null);
        assertThat(channelVideos.get("items")).hasSize(8);
        assertThat(api.ok("/api/v1/channels/@erin", null).get("video_count").asLong()).isEqualTo(8);
    }

    @Test
    void commentsFormThreadsSortedNewestOrTopAndPageByCursor() throws Exception {
        String video = api.seedVideo(aliceId, "Talk to me", "public", Instant.now());
        String path = "/api/v1/videos/" + video + "/comments";
        List<String> threads = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Api.Reply r = api.post(path, "{\"text\":\"thread " + i + "\"}", i % 2 == 0 ? bob : carol);
            assertThat(r.status()).isEqualTo(201);
            threads.add(r.json().get("id").asText());
        }
        String popular = threads.get(1);
        Api.Reply reply = api.post(path, "{\"text\":\"first reply\",\"parent_id\":\"" + popular + "\"}", bob);
        String firstReply = reply.json().get("id").asText();
        api.post(path, "{\"text\":\"second reply\",\"parent_id\":\"" + popular + "\"}", alice);
        // A reply to a reply joins the same thread and remembers whom it answered.
        Api.Reply nested = api.post(path, "{\"text\":\"@bob indeed\",\"parent_id\":\"" + firstReply + "\"}", carol);
        assertThat(nested.json().get("parent_id").asText()).isEqualTo(popular);
        assertThat(nested.json().get("reply_to").get("handle").asText()).isEqualTo("bob");

        // Text is kept exactly as written (pages escape it when they render).
        String html = "<script>alert('x')</script> & <b>bold</b>";
        Api.Reply raw = api.post(path, TestServer.JSON.writeValueAsString(Map.of("text", html)), bob);
        assertThat(raw.json().get("text").asText()).isEqualTo(html);
        threads.add(raw.json().get("id").asText());

        List<JsonNode> newest = api.all(path + "?sort=newest", null, 2, n -> false);
        assertThat(Api.ids(TestServer.JSON.valueToTree(newest))).containsExactlyElementsOf(reversed(threads));
        List<JsonNode> top = api.all(path + "?sort=top", null, 4, n -> false);
        assertThat(top.getFirst().get("id").asText()).isEqualTo(popular);
        assertThat(top.getFirst().get("reply_count").asInt()).isEqualTo(3);
        assertThat(top).hasSize(6);

        List<JsonNode> replies = api.all("/api/v1/comments/" + popular + "/replies", null, 2, n -> false);
        assertThat(replies.stream().map(n -> n.get("text").asText()).toList())
                .containsExactly("first reply", "second reply", "@bob indeed");
        assertThat(api.ok("/api/v1/videos/" + video, null).get("comment_count").asLong()).isEqualTo(9);

        assertThat(api.post(path, "{\"text\":\"   \"}", bob).code()).isEqualTo("empty_comment");
        assertThat(api.post(path, "{\"text\":\"hi\"}", null).status()).isEqualTo(401);
        assertThat(api.get(path + "?sort=best", null).code()).isEqualTo("invalid_sort");
    }

    private static List<String> reversed(List<String> l) {
        List<String> r = new java.util.ArrayList<>(l);
        java.util.Collections.reverse(r);
        return r;
    }

    @Test
    void authorsEditAndDeleteTheirOwnAndTheVideoOwnerOrAModeratorDeletesAny() throws Exception {
        String video = api.seedVideo(aliceId, "Moderated", "public", Instant.now());
        String path = "/api/v1/videos/" + video + "/comments";
        String bobs = api.post(path, "{\"text\":\"bob was here\"}", bob).json().get("id").asText();
        String carols = api.post(path, "{\"text\":\"carol too\"}", carol).json().get("id").asText();
        api.post(path, "{\"text\":\"a reply keeps the thread\",\"parent_id\":\"" + bobs + "\"}", carol);

        Api.Reply edited = api.patch("/api/v1/comments/" + bobs, "{\"text\":\"bob was here (edited)\"}", bob);
        assertThat(edited.json().get("text").asText()).isEqualTo("bob was here (edited)");
        assertThat(edited.json().get("edited_at").isNull()).isFalse();
        assertThat(api.patch("/api/v1/comments/" + bobs, "{\"text\":\"hijack\"}", carol).status()).isEqualTo(403);
        assertThat(api.patch("/api/v1/comments/" + bobs, "{\"text\":\"hijack\"}", alice).status()).isEqualTo(403); // owner deletes, never edits
        assertThat(api.delete("/api/v1/comments/" + bobs, carol).status()).isEqualTo(403);

        JsonNode asOwner = api.ok(path, alice).get("items");
        assertThat(asOwner.findValuesAsText("id")).contains(bobs, carols);
        asOwner.forEach(c -> assertThat(c.get("can_delete").asBoolean()).isTrue());
        JsonNode asCarol = api.ok(path, carol).get("items");
        asCarol.forEach(c -> assertThat(c.get("can_delete").asBoolean()).isEqualTo(c.get("id").asText().equals(carols)));

        // The video's owner removes bob's thread; it stays as a deleted placeholder while it has a reply.
        assertThat(api.delete("/api/v1/comments/" + bobs, alice).status()).isEqualTo(204);
        JsonNode placeholder = find(api.ok(path, null).get("items"), bobs);
        assertThat(placeholder.get("deleted").asBoolean()).isTrue();
        assertThat(placeholder.get("text").isNull()).isTrue();
        assertThat(api.patch("/api/v1/comments/" + bobs, "{\"text\":\"back\"}", bob).status()).isEqualTo(404);

        // A moderator (made by the admin) removes carol's comment on someone else's video.
        String mod = server.register("mod");
        assertThat(api.delete("/api/v1/comments/" + carols, mod).status()).isEqualTo(403);
        Api.Reply promoted = api.patch("/api/v1/admin/users/" + api.userId(mod), "{\"role\":\"moderator\"}", admin);
        assertThat(promoted.json().get("role").asText()).isEqualTo("moderator");
        assertThat(api.delete("/api/v1/comments/" + carols, mod).status()).isEqualTo(204);
        assertThat(api.ok(path, null).get("items").findValuesAsText("id")).doesNotContain(carols);

        assertThat(api.patch("/api/v1/admin/users/" + bobId, "{\"role\":\"admin\"}", mod).status()).isEqualTo(403);
    }

    private static JsonNode find(JsonNode items, String id) {
        for (JsonNode n : items) if (n.get("id").asText().equals(id)) return n;
        throw new AssertionError(id + " not in " + items);
    }

    @Test
    void commentingTooFastAnswers429WithRetryAfter() throws Exception {
        String chatty = server.register("chatty");
        String path = "/api/v1/videos/" + aliceVideo + "/comments";
        for (int i = 0; i < 10; i++) assertThat(api.post(path, "{\"text\":\"spam " + i + "\"}", chatty).status()).isEqualTo(201);
        Api.Reply limited = api.post(path, "{\"text\":\"one too many\"}", chatty);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.code()).isEqualTo("rate_limited");
        assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 60);
        // Other users are not affected.
        assertThat(api.post(path, "{\"text\":\"still fine\"}", carol).status()).isEqualTo(201);
    }

    @Test
    void concurrentViewEventsCountOncePerViewerWithinTheStatedBound() throws Exception {
        String video = api.seedVideo(aliceId, "Popular", "public", Instant.now());
        String path = "/api/v1/videos/" + video + "/events";
        // One anonymous session firing 30 events at once, 30 other sessions once each, one user twice.
        List<Integer> same = Api.concurrently(30, () -> api.post(path, "{\"type\":\"start\",\"session_id\":\"session-same-1\"}", null).status());
        AtomicInteger n = new AtomicInteger();
        List<Integer> distinct = Api.concurrently(30, () ->
                api.post(path, "{\"type\":\"start\",\"session_id\":\"session-" + n.incrementAndGet() + "-abcdef\"}", null).status());
        api.post(path, "{\"type\":\"start\",\"position_seconds\":0}", bob);
        long lastAccepted = System.nanoTime();
        api.post(path, "{\"type\":\"heartbeat\",\"position_seconds\":10}", bob);
        assertThat(same).containsOnly(202);
        assertThat(distinct).containsOnly(202);

        Api.await(Duration.ofSeconds(10), () -> api.ok("/api/v1/videos/" + video, null).get("view_count").asLong() >= 32);
        assertThat(Duration.ofNanos(System.nanoTime() - lastAccepted)).as("counted within the stated bound").isLessThan(VIEW_BOUND);
        Thread.sleep(1500); // another flush: nothing more arrives
        assertThat(api.ok("/api/v1/videos/" + video, null).get("view_count").asLong()).isEqualTo(32);

        // Inside the window the same viewer does not count again.
        api.post(path, "{\"type\":\"start\",\"session_id\":\"session-same-1\"}", null);
        api.post(path, "{\"type\":\"complete\",\"position_seconds\":120}", bob);
        Thread.sleep(VIEW_BOUND.toMillis());
        assertThat(api.ok("/api/v1/videos/" + video, null).get("view_count").asLong()).isEqualTo(32);

        // The owner sees today's aggregate; nobody else does.
        JsonNode daily = api.ok("/api/v1/videos/" + video + "/stats/daily?days=7", alice);
        assertThat(daily.get("items")).hasSize(7);
        JsonNode today = daily.get("items").get(6);
        assertThat(today.get("day").asText()).isEqualTo(LocalDate.now(ZoneOffset.UTC).toString());
        assertThat(today.get("views").asLong()).isEqualTo(32);
        assertThat(api.get("/api/v1/videos/" + video + "/stats/daily", bob).status()).isEqualTo(403);

        // Events for a video the viewer may not see are accepted (no lookup on the fast path) but never counted.
        String secret = api.seedVideo(aliceId, "Private", "private", Instant.now());
        api.post("/api/v1/videos/" + secret + "/events", "{\"type\":\"start\",\"session_id\":\"session-snoop-1\"}", null);
        api.post("/api/v1/videos/" + secret + "/events", "{\"type\":\"heartbeat\",\"position_seconds\":5}", bob);
        api.post("/api/v1/videos/" + secret + "/events", "{\"type\":\"start\"}", alice);
        Api.await(VIEW_BOUND, () -> api.ok("/api/v1/videos/" + secret, alice).get("view_count").asLong() == 1);
        Thread.sleep(1200);
        assertThat(api.ok("/api/v1/videos/" + secret, alice).get("view_count").asLong()).isEqualTo(1); // the owner's own
        assertThat(api.ok("/api/v1/me/history", bob).get("items").toString()).doesNotContain(secret);

        assertThat(api.post(path, "{\"type\":\"start\"}", null).code()).isEqualTo("session_id_required");
        assertThat(api.post(path, "{\"type\":\"pause\",\"session_id\":\"abcdefgh\"}", null).code()).isEqualTo("invalid_event_type");
        assertThat(api.post(path, "{\"type\":\"heartbeat\",\"position_seconds\":-3}", bob).code()).isEqualTo("invalid_position");
    }

    @Test
    void theResumePositionFollowsThePlayerAndHistoryCanBePausedAndCleared() throws Exception {
        String viewer = server.register("viewer");
        String a = api.seedVideo(aliceId, "Long film", "public", Instant.now());
        String b = api.seedVideo(aliceId, "Short clip", "public", Instant.now());
        api.post("/api/v1/videos/" + a + "/events", "{\"type\":\"start\",\"position_seconds\":0}", viewer);
        api.post("/api/v1/videos/" + a + "/events", "{\"type\":\"heartbeat\",\"position_seconds\":42.5}", viewer);
        api.post("/api/v1/videos/" + b + "/events", "{\"type\":\"start\"}", viewer);
        api.post("/api/v1/videos/" + b + "/events", "{\"type\":\"complete\",\"position_seconds\":120}", viewer);
        Api.await(VIEW_BOUND, () -> api.ok("/api/v1/videos/" + a, viewer).get("resume_position_seconds").asDouble() == 42.5);
        assertThat(api.ok("/api/v1/videos/" + b, viewer).get("resume_position_seconds").isNull()).isTrue(); // finished
        assertThat(api.ok("/api/v1/videos/" + a, null).get("resume_position_seconds").isNull()).isTrue(); // anonymous

        // A bare start (no position) does not rewind the resume point.
        api.post("/api/v1/videos/" + a + "/events", "{\"type\":\"start\"}", viewer);
        Thread.sleep(VIEW_BOUND.toMillis());
        assertThat(api.ok("/api/v1/videos/" + a, viewer).get("resume_position_seconds").asDouble()).isEqualTo(42.5);

        JsonNode cont = api.ok("/api/v1/me/continue-watching", viewer).get("items");
        assertThat(cont).hasSize(1);
        assertThat(cont.get(0).get("video").get("id").asText()).isEqualTo(a);
        assertThat(cont.get(0).get("position_seconds").asDouble()).isEqualTo(42.5);
        assertThat(historyIds(viewer)).containsExactly(a, b); // most recently watched first (a was started again)

        // Paused: nothing new is recorded.
        assertThat(api.put("/api/v1/me/history/settings", "{\"paused\":true}", viewer).json().get("paused").asBoolean()).isTrue();
        String c = api.seedVideo(aliceId, "Unrecorded", "public", Instant.now());
        api.post("/api/v1/videos/" + c + "/events", "{\"type\":\"heartbeat\",\"position_seconds\":30}", viewer);
        Thread.sleep(VIEW_BOUND.toMillis());
        assertThat(api.ok("/api/v1/videos/" + c, viewer).get("resume_position_seconds").isNull()).isTrue();
        api.put("/api/v1/me/history/settings", "{\"paused\":false}", viewer);

        assertThat(api.delete("/api/v1/me/history/" + b, viewer).status()).isEqualTo(204);
        assertThat(historyIds(viewer)).containsExactly(a);
        assertThat(api.delete("/api/v1/me/history", viewer).json().get("removed").asInt()).isEqualTo(1);
        assertThat(api.ok("/api/v1/me/history", viewer).get("items")).isEmpty();
        assertThat(api.ok("/api/v1/videos/" + a, viewer).get("resume_position_seconds").isNull()).isTrue();
    }

    private static List<String> historyIds(String token) throws Exception {
        List<String> ids = new java.util.ArrayList<>();
        api.ok("/api/v1/me/history", token).get("items").forEach(i -> ids.add(i.get("video").get("id").asText()));
        return ids;
    }

    @Test
    void playlistsKeepOrderRespectPrivacyAndPlayNext() throws Exception {
        String v1 = api.seedVideo(aliceId, "one", "public", Instant.now());
        String v2 = api.seedVideo(aliceId, "two", "public", Instant.now());
        String v3 = api.seedVideo(aliceId, "three", "public", Instant.now());
        String privateOfAlice = api.seedVideo(aliceId, "alice only", "private", Instant.now());
        Api.Reply created = api.post("/api/v1/playlists", "{\"title\":\"Mix\",\"privacy\":\"private\"}", bob);
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(created.json().get("kind").asText()).isEqualTo("regular");

        for (String v : List.of(v1, v2, v3)) api.post("/api/v1/playlists/" + id + "/items", "{\"video_id\":\"" + v + "\"}", bob);
        assertThat(api.post("/api/v1/playlists/" + id + "/items", "{\"video_id\":\"" + v1 + "\"}", bob).json().get("item_count").asInt())
                .isEqualTo(3); // adding twice is a no-op
        assertThat(api.post("/api/v1/playlists/" + id + "/items", "{\"video_id\":\"" + privateOfAlice + "\"}", bob).status())
                .isEqualTo(404);
        assertThat(order(id, bob)).containsExactly(v1, v2, v3);
        api.patch("/api/v1/playlists/" + id + "/items/" + v3, "{\"position\":0}", bob);
        assertThat(order(id, bob)).containsExactly(v3, v1, v2);
        api.patch("/api/v1/playlists/" + id + "/items/" + v3, "{\"position\":99}", bob);
        assertThat(order(id, bob)).containsExactly(v1, v2, v3);

        JsonNode next = api.ok("/api/v1/playlists/" + id + "/next?after=" + v1, bob);
        assertThat(next.get("next").get("video").get("id").asText()).isEqualTo(v2);
        assertThat(api.ok("/api/v1/playlists/" + id + "/next?after=" + v3, bob).get("next").isNull()).isTrue();
        assertThat(api.ok("/api/v1/playlists/" + id + "/next", bob).get("next").get("video").get("id").asText()).isEqualTo(v1);

        // Private: a 404 to anyone else, even its items; public after an edit.
        assertThat(api.get("/api/v1/playlists/" + id, carol).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/playlists/" + id + "/items", null).status()).isEqualTo(404);
        assertThat(api.post("/api/v1/playlists/" + id + "/items", "{\"video_id\":\"" + v1 + "\"}", carol).status()).isEqualTo(404);
        api.patch("/api/v1/playlists/" + id, "{\"privacy\":\"public\"}", bob);
        assertThat(order(id, carol)).containsExactly(v1, v2, v3);
        assertThat(api.delete("/api/v1/playlists/" + id + "/items/" + v2, carol).status()).isEqualTo(403);
        assertThat(api.ok("/api/v1/channels/@bob/playlists", null).get("items").findValuesAsText("id")).contains(id);

        assertThat(api.delete("/api/v1/playlists/" + id + "/items/" + v2, bob).json().get("item_count").asInt()).isEqualTo(2);
        assertThat(order(id, bob)).containsExactly(v1, v3);

        // Watch later: built in, private, not deletable.
        Api.Reply wl = api.post("/api/v1/playlists/watch-later/items", "{\"video_id\":\"" + v2 + "\"}", carol);
        assertThat(wl.json().get("kind").asText()).isEqualTo("watch_later");
        assertThat(wl.json().get("privacy").asText()).isEqualTo("private");
        assertThat(order("watch-later", carol)).containsExactly(v2);
        assertThat(api.ok("/api/v1/me/playlists", carol).get("items").get(0).get("kind").asText()).isEqualTo("watch_later");
        assertThat(api.delete("/api/v1/playlists/watch-later", carol).code()).isEqualTo("watch_later_fixed");
        assertThat(api.get("/api/v1/playlists/" + wl.json().get("id").asText(), bob).status()).isEqualTo(404);
        assertThat(api.delete("/api/v1/playlists/" + id, bob).status()).isEqualTo(204);
    }

    private static List<String> order(String playlist, String token) throws Exception {
        JsonNode items = api.ok("/api/v1/playlists/" + playlist + "/items", token).get("items");
        List<String> ids = new java.util.ArrayList<>();
        items.forEach(i -> ids.add(i.get("video").get("id").asText()));
        return ids;
    }

    @Test
    void theUploadQuotaIsEnforcedWhenTheUploadIsCreated() throws Exception {
        String uploader = server.register("uploader");
        String uid = api.userId(uploader);
        assertThat(api.ok("/api/v1/me", admin).get("role").asText()).isEqualTo("admin");
        assertThat(api.ok("/api/v1/me", uploader).get("upload_quota").get("quota_bytes").asLong()).isEqualTo(10L << 30); // the default quota
        Api.Reply set = api.patch("/api/v1/admin/users/" + uid, "{\"upload_quota_bytes\":1000}", admin);
        assertThat(set.json().get("upload_quota").get("quota_bytes").asLong()).isEqualTo(1000);

        Api.Reply tooBig = api.call("POST", "/api/v1/uploads", null, uploader, "Tus-Resumable", "1.0.0", "Upload-Length", "1500");
        assertThat(tooBig.status()).isEqualTo(413);
        assertThat(tooBig.code()).isEqualTo("quota_exceeded");
        assertThat(tooBig.json().get("details").get("quota_bytes").asLong()).isEqualTo(1000);
        Api.Reply fits = api.call("POST", "/api/v1/uploads", null, uploader, "Tus-Resumable", "1.0.0", "Upload-Length", "600");
        assertThat(fits.status()).isEqualTo(201);
        // 600 used: parallel creations of 600 more cannot both fit.
        List<Integer> race = Api.concurrently(4, () ->
                api.call("POST", "/api/v1/uploads", null, uploader, "Tus-Resumable", "1.0.0", "Upload-Length", "300").status());
        assertThat(race).containsExactlyInAnyOrder(201, 413, 413, 413);
        assertThat(api.ok("/api/v1/me", uploader).get("upload_quota").get("used_bytes").asLong()).isEqualTo(900);

        assertThat(api.patch("/api/v1/admin/users/" + uid, "{\"upload_quota_bytes\":5}", uploader).status()).isEqualTo(403);
        assertThat(api.patch("/api/v1/admin/users/" + uid, "{\"reset_quota\":true}", admin).json().get("upload_quota")
                .get("quota_bytes").asLong()).isEqualTo(10L << 30);
    }

    @Test
    void anIdempotencyKeyReplaysTheFirstResponseInsteadOfDoingItAgain() throws Exception {
        String video = api.seedVideo(aliceId, "Retry me", "public", Instant.now());
        String path = "/api/v1/videos/" + video + "/comments";
        String body = "{\"text\":\"posted once\"}";
        Api.Reply first = api.post(path, body, bob, "Idempotency-Key", "key-1");
        Api.Reply again = api.post(path, body, bob, "Idempotency-Key", "key-1");
        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.json().get("id").asText()).isEqualTo(first.json().get("id").asText());
        assertThat(api.ok(path, null).get("items")).hasSize(1);

        // Concurrent duplicates: exactly one comment, the others replay or are told to wait.
        List<Integer> statuses = Api.concurrently(8, () -> api.post(path, "{\"text\":\"race\"}", carol, "Idempotency-Key", "key-2").status());
        assertThat(statuses).allMatch(s -> s == 201 || s == 409);
        assertThat(api.ok(path, null).get("items")).hasSize(2);

        assertThat(api.post(path, "{\"text\":\"something else\"}", bob, "Idempotency-Key", "key-1").status()).isEqualTo(422);
        // Keys are per user: carol's key-1 is hers.
        assertThat(api.post(path, body, carol, "Idempotency-Key", "key-1").header("Idempotent-Replayed")).isNull();
        // Errors are replayed too (they are the answer to that request); 5xx are not stored.
        Api.Reply bad = api.post(path, "{\"text\":\"\"}", bob, "Idempotency-Key", "key-3");
        Api.Reply badAgain = api.post(path, "{\"text\":\"\"}", bob, "Idempotency-Key", "key-3");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(badAgain.status()).isEqualTo(400);
        assertThat(badAgain.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(new HashSet<>(List.of(bad.code(), badAgain.code()))).containsExactly("empty_comment");
    }
}
