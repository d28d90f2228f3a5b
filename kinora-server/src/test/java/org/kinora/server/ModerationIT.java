package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trust and safety through a real server and its PostgreSQL: reports and the grouped queue,
 * every moderator action and who may take it, strikes freezing uploads, suspension, a takedown
 * that stops a really transcoded video at the API and the origin at once and returns on appeal,
 * holds before publication, blocking and the append-only audit log.
 */
@Timeout(300)
class ModerationIT {
    @TempDir
    static Path dir;
    static TestServer server;
    static Api api;
    static String admin;
    static String mod;
    static String modId;
    static String creator;
    static String creatorId;
    static String viewer;
    static String viewer2;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(dir.resolve("data"), Map.of("moderation.hold-keywords", "holdme",
                "moderation.hold-videos-by-keyword", "true", "moderation.reports-per-hour", "1000", "ratelimit.comments-per-minute", "1000"));
        api = new Api(server);
        admin = server.register("root"); // the first account administers the instance
        mod = server.register("mod");
        modId = api.userId(mod);
        assertThat(api.patch("/api/v1/admin/users/" + modId, "{\"role\":\"moderator\"}", admin).status()).isEqualTo(200);
        creator = server.register("creator");
        creatorId = api.userId(creator);
        viewer = server.register("viewer");
        viewer2 = server.register("viewer2");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    static String report(String kind, String item, String reason, Double at) {
        return "{\"kind\":\"" + kind + "\",\"item_id\":\"" + item + "\",\"reason\":\"" + reason + "\",\"note\":\"see here\""
                + (at == null ? "" : ",\"at_seconds\":" + at) + "}";
    }

    static Api.Reply act(String token, String kind, String item, String action, String reason, String extra) throws Exception {
        return api.post("/api/v1/admin/moderation/actions", "{\"kind\":\"" + kind + "\",\"item_id\":\"" + item + "\",\"action\":\""
                + action + "\"" + (reason == null ? "" : ",\"reason\":" + TestServer.JSON.writeValueAsString(reason))
                + (extra == null ? "" : "," + extra) + "}", token);
    }

    static JsonNode entry(JsonNode queue, String itemId) {
        for (JsonNode e : queue.get("items")) if (e.get("item_id").asText().equals(itemId)) return e;
        return null;
    }

    /** A tus upload in one request with a title, returning the new video's id. */
    static String upload(Path clip, String title, String token) throws Exception {
        byte[] body = Files.readAllBytes(clip);
        var created = server.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.base + "/api/v1/uploads"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).header("Tus-Resumable", "1.0.0")
                .header("Authorization", "Bearer " + token).header("Upload-Length", Integer.toString(body.length))
                .header("Upload-Metadata", "title " + Base64.getEncoder().encodeToString(title.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .header("Content-Type", "application/offset+octet-stream"));
        assertThat(created.statusCode()).isEqualTo(201);
        return created.headers().firstValue("Kinora-Video-Id").orElseThrow();
    }

    static Api.Reply startUpload(String token) throws Exception {
        return api.call("POST", "/api/v1/uploads", "", token, "Tus-Resumable", "1.0.0", "Upload-Length", "10",
                "Upload-Metadata", "filename dGVzdC5tcDQ=");
    }

    @Test
    void reportsAreOnePerReporterAndItemAndAFloodIsOneQueueEntryWithACount() throws Exception {
        String video = api.seedVideo(creatorId, "Reported a lot", "public", Instant.now());
        assertThat(api.post("/api/v1/reports", report("video", video, "spam", 42.5), viewer).status()).isEqualTo(201);
        Api.Reply again = api.post("/api/v1/reports", report("video", video, "violent", 10.0), viewer);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("already_reported");
        assertThat(api.post("/api/v1/reports", report("video", video, "violent", 12.0), viewer2).status()).isEqualTo(201);
        assertThat(api.post("/api/v1/reports", report("video", video, "spam", null), mod).status()).isEqualTo(201);
        // Bad input: precise 4xx, never 5xx.
        assertThat(api.post("/api/v1/reports", report("video", video, "spam", null), creator).code()).isEqualTo("own_item");
        assertThat(api.post("/api/v1/reports", report("video", video, "boring", null), admin).code()).isEqualTo("invalid_reason");
        assertThat(api.post("/api/v1/reports", report("planet", video, "spam", null), admin).code()).isEqualTo("invalid_kind");
        assertThat(api.post("/api/v1/reports", report("channel", creatorId, "spam", 3.0), admin).code()).isEqualTo("invalid_timestamp");
        assertThat(api.post("/api/v1/reports", report("video", "no-such-video", "spam", null), admin).status()).isEqualTo(404);
        assertThat(api.post("/api/v1/reports", report("video", video, "spam", null), null).status()).isEqualTo(401);
        assertThat(api.post("/api/v1/reports", "{\"kind\":", admin).status()).isEqualTo(400);
        // A live chat message is accepted by id alone (the chat capability owns the messages).
        assertThat(api.post("/api/v1/reports", report("live_chat", "chatMsg123", "harassment", null), viewer).status()).isEqualTo(201);

        JsonNode queue = api.ok("/api/v1/admin/moderation/queue?sort=most_reported", mod);
        JsonNode e = entry(queue, video);
        assertThat(e.get("count").asInt()).isEqualTo(3);
        assertThat(e.get("at_seconds").asDouble()).isEqualTo(12.0);
        assertThat(e.get("reasons").get("spam").asInt()).isEqualTo(2);
        assertThat(e.get("item").get("title").asText()).isEqualTo("Reported a lot");
        assertThat(queue.get("items").get(0).get("count").asInt()).isGreaterThanOrEqualTo(3); // most reported first
        assertThat(entry(queue, "chatMsg123")).isNotNull();
        assertThat(api.get("/api/v1/admin/moderation/queue?sort=loudest", mod).code()).isEqualTo("invalid_sort");
        // Cursor pages, one item each: every reported item once, in the sort's order; held uploads on the first page only.
        for (String sort : java.util.List.of("newest", "most_reported")) {
            java.util.List<String> seen = new java.util.ArrayList<>();
            java.util.List<Integer> counts = new java.util.ArrayList<>();
            String cursor = null;
            do {
                JsonNode page = api.ok("/api/v1/admin/moderation/queue?limit=1&sort=" + sort + (cursor == null ? "" : "&cursor=" + cursor), mod);
                assertThat(page.get("items")).hasSizeLessThanOrEqualTo(1);
                if (cursor != null) assertThat(page.get("held")).isEmpty();
                page.get("items").forEach(i -> { seen.add(i.get("kind").asText() + ":" + i.get("item_id").asText()); counts.add(i.get("count").asInt()); });
                cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
            } while (cursor != null && seen.size() < 200);
            assertThat(seen).as(sort).doesNotHaveDuplicates().contains("video:" + video, "live_chat:chatMsg123");
            // Paging one by one yields exactly the one big page, in its order: no item skipped at a page boundary.
            java.util.List<String> whole = new java.util.ArrayList<>();
            api.ok("/api/v1/admin/moderation/queue?limit=100&sort=" + sort, mod).get("items")
                    .forEach(i -> whole.add(i.get("kind").asText() + ":" + i.get("item_id").asText()));
            assertThat(seen).as(sort + ", paged one by one").isEqualTo(whole);
            if (sort.equals("most_reported")) assertThat(counts).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        }
        assertThat(api.get("/api/v1/admin/moderation/queue?cursor=bm90LWEtY3Vyc29y", mod).code()).isEqualTo("invalid_cursor");

        // Dismissed: the entry leaves the queue and the reporters read the outcome.
        assertThat(act(mod, "video", video, "dismiss", "Not spam: a tutorial.", null).status()).isEqualTo(201);
        assertThat(entry(api.ok("/api/v1/admin/moderation/queue", mod), video)).isNull();
        JsonNode mine = api.ok("/api/v1/me/reports", viewer2).get("items").get(0);
        assertThat(mine.get("status").asText()).isEqualTo("dismissed");
        assertThat(mine.get("outcome").asText()).contains("does not break");
        // Closed, so the same person may report it again.
        assertThat(api.post("/api/v1/reports", report("video", video, "spam", null), viewer).status()).isEqualTo(201);
    }

    @Test
    void usersCannotModerateAndModeratorsCannotChangeRolesOrPenaliseStaff() throws Exception {
        String video = api.seedVideo(creatorId, "Fine video", "public", Instant.now());
        assertThat(act(viewer, "video", video, "remove", "I do not like it", null).status()).isEqualTo(403);
        assertThat(api.get("/api/v1/admin/moderation/queue", viewer).status()).isEqualTo(403);
        assertThat(api.get("/api/v1/admin/moderation/appeals", viewer).status()).isEqualTo(403);
        assertThat(api.get("/api/v1/admin/audit", viewer).status()).isEqualTo(403);
        assertThat(api.get("/api/v1/admin/audit.csv", viewer).status()).isEqualTo(403);
        assertThat(api.get("/api/v1/admin/moderation/queue", null).status()).isEqualTo(401);
        assertThat(server.get("/admin/moderation", viewer).statusCode()).isIn(302, 303, 403); // pages go by the session cookie
        // Moderators cannot change roles (not even their own) nor penalise an admin.
        assertThat(api.patch("/api/v1/admin/users/" + api.userId(viewer), "{\"role\":\"moderator\"}", mod).status()).isEqualTo(403);
        assertThat(api.patch("/api/v1/admin/users/" + modId, "{\"role\":\"admin\"}", mod).status()).isEqualTo(403);
        String adminVideo = api.seedVideo(api.userId(admin), "Admin's video", "public", Instant.now());
        assertThat(act(mod, "video", adminVideo, "strike", "Testing", null).status()).isEqualTo(403);
        // Every action needs a reason.
        Api.Reply noReason = act(mod, "video", video, "remove", null, null);
        assertThat(noReason.status()).isEqualTo(400);
        assertThat(noReason.code()).isEqualTo("reason_required");
        assertThat(act(mod, "video", video, "remove", "   ", null).code()).isEqualTo("reason_required");
        assertThat(act(mod, "video", video, "obliterate", "x", null).code()).isEqualTo("invalid_action");
        assertThat(act(mod, "comment", "noSuchComment", "remove", "x", null).status()).isEqualTo(404);
        assertThat(act(mod, "channel", creatorId, "age_restrict", "x", null).code()).isEqualTo("not_applicable");
        assertThat(act(mod, "video", video, "suspend", "x", "\"days\":0").code()).isEqualTo("invalid_days");
        assertThat(api.ok("/api/v1/videos/" + video, null).get("id").asText()).isEqualTo(video); // nothing happened to it
    }

    @Test
    void aTakenDownVideoStopsPlayingAtOnceThroughTheApiAndTheOriginAndReturnsWhenTheAppealIsAccepted() throws Exception {
        String owner = server.register("filmmaker");
        Path clip = server.clip(Files.createDirectories(dir.resolve("clips")), "takedown.mp4", 320, 180, 2);
        String video = upload(clip, "Takedown test", owner);
        JsonNode ready = server.awaitEnd(video, owner);
        assertThat(ready.get("status").asText()).isEqualTo("ready");
        String master = ready.get("playback").get("hls").asText();
        String poster = ready.get("playback").get("poster").asText();
        assertThat(server.get(master, null).statusCode()).isEqualTo(200);
        assertThat(Api.ids(api.ok("/api/v1/videos", null).get("items"))).contains(video);
        assertThat(Api.ids(api.ok("/api/v1/search?q=takedown+test", null).get("items"))).contains(video);
        assertThat(api.post("/api/v1/reports", report("video", video, "violent", 1.0), viewer).status()).isEqualTo(201);

        Api.Reply removed = act(mod, "video", video, "remove", "Graphic violence at 0:01.", null);
        assertThat(removed.status()).isEqualTo(201);
        String actionId = removed.json().get("id").asText();
        assertThat(removed.json().get("penalty").asText()).isEqualTo("warning"); // the account's first violation
        // At once: the same URLs a player holds now fail, for everyone including the owner.
        HttpResponse<String> origin = server.get(master, null);
        assertThat(origin.statusCode()).isEqualTo(410);
        assertThat(server.get(poster, null).statusCode()).isEqualTo(410);
        Api.Reply gone = api.get("/api/v1/videos/" + video, null);
        assertThat(gone.status()).isEqualTo(410);
        assertThat(gone.code()).isEqualTo("video_taken_down");
        assertThat(api.get("/api/v1/videos/" + video, owner).status()).isEqualTo(410);
        assertThat(Api.ids(api.ok("/api/v1/videos", null).get("items"))).doesNotContain(video);
        assertThat(Api.ids(api.ok("/api/v1/search?q=takedown+test", null).get("items"))).doesNotContain(video);
        assertThat(server.get("/watch/" + video, null).statusCode()).isEqualTo(404);
        // The reporter reads the outcome; the owner reads the decision and its reason.
        assertThat(api.ok("/api/v1/me/reports", viewer).get("items").get(0).get("outcome").asText()).startsWith("Removed");
        JsonNode standing = api.ok("/api/v1/me/standing", owner);
        assertThat(standing.get("warned").asBoolean()).isTrue();
        JsonNode decision = standing.get("actions").get(0);
        assertThat(decision.get("action").asText()).isEqualTo("remove");
        assertThat(decision.get("reason").asText()).isEqualTo("Graphic violence at 0:01.");
        assertThat(decision.get("item_title").asText()).isEqualTo("Takedown test");
        assertThat(decision.get("appealable").asBoolean()).isTrue();
        JsonNode inStudio = api.ok("/api/v1/users/me/videos", owner).get("items");
        assertThat(Api.ids(inStudio)).contains(video); // still listed in Studio, where the standing section says why

        // One appeal per decision; someone else's decision cannot be appealed.
        String appealPath = "/api/v1/me/moderation/actions/" + actionId + "/appeal";
        assertThat(api.post(appealPath, "{\"message\":\"It is a film about war.\"}", viewer).status()).isEqualTo(404);
        assertThat(api.post(appealPath, "{\"message\":\"\"}", owner).code()).isEqualTo("invalid_message");
        assertThat(api.post(appealPath, "{\"message\":\"It is a film about war.\"}", owner).status()).isEqualTo(201);
        assertThat(api.post(appealPath, "{\"message\":\"Please!\"}", owner).code()).isEqualTo("already_appealed");
        JsonNode appeals = api.ok("/api/v1/admin/moderation/appeals", mod).get("items");
        assertThat(appeals.findValuesAsText("action_id")).contains(actionId);

        String decide = "/api/v1/admin/moderation/appeals/" + actionId;
        assertThat(api.post(decide, "{\"decision\":\"accept\",\"reason\":\"ok\"}", viewer).status()).isEqualTo(403);
        assertThat(api.post(decide, "{\"decision\":\"maybe\",\"reason\":\"ok\"}", mod).code()).isEqualTo("invalid_decision");
        assertThat(api.post(decide, "{\"decision\":\"accept\"}", mod).code()).isEqualTo("reason_required");
        Api.Reply accepted = api.post(decide, "{\"decision\":\"accept\",\"reason\":\"Documentary context.\"}", mod);
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(accepted.json().get("status").asText()).isEqualTo("accepted");
        assertThat(api.post(decide, "{\"decision\":\"reject\",\"reason\":\"again\"}", mod).code()).isEqualTo("appeal_not_open");
        // The video returns at once, and the warning is gone.
        assertThat(server.get(master, null).statusCode()).isEqualTo(200);
        assertThat(api.get("/api/v1/videos/" + video, null).status()).isEqualTo(200);
        assertThat(Api.ids(api.ok("/api/v1/videos", null).get("items"))).contains(video);
        JsonNode after = api.ok("/api/v1/me/standing", owner);
        assertThat(after.get("warned").asBoolean()).isFalse();
        assertThat(after.get("actions").get(0).get("reverted_at").isNull()).isFalse();
        assertThat(after.get("actions").get(0).get("appeal").get("status").asText()).isEqualTo("accepted");
    }

    @Test
    void aWarningThenAStrikeFreezesUploadingAndASuspendedUserCannotUploadOrWrite() throws Exception {
        String striker = server.register("striker");
        String strikerId = api.userId(striker);
        String v1 = api.seedVideo(strikerId, "Spam one", "public", Instant.now());
        assertThat(startUpload(striker).status()).isEqualTo(201);
        assertThat(act(mod, "video", v1, "strike", "Spam.", null).json().get("penalty").asText()).isEqualTo("warning");
        assertThat(startUpload(striker).status()).isEqualTo(201); // a warning freezes nothing
        assertThat(act(mod, "video", v1, "strike", "Spam again.", null).json().get("penalty").asText()).isEqualTo("strike");
        Api.Reply frozen = startUpload(striker);
        assertThat(frozen.status()).isEqualTo(403);
        assertThat(frozen.code()).isEqualTo("account_restricted");
        JsonNode standing = api.ok("/api/v1/me/standing", striker);
        assertThat(standing.get("active_strikes").asInt()).isEqualTo(1);
        Instant until = Instant.parse(standing.get("frozen_until").asText());
        assertThat(Duration.between(Instant.now(), until)).isBetween(Duration.ofDays(7).minusMinutes(5), Duration.ofDays(7));
        // A frozen account still comments: only uploading and going live are paused.
        assertThat(api.post("/api/v1/videos/" + v1 + "/comments", "{\"text\":\"hello\"}", striker).status()).isEqualTo(201);

        String troll = server.register("troll");
        String trollId = api.userId(troll);
        String trollVideo = api.seedVideo(trollId, "Troll video", "public", Instant.now());
        Api.Reply suspended = act(mod, "channel", trollId, "suspend", "Harassment campaign.", "\"days\":30");
        assertThat(suspended.status()).isEqualTo(201);
        assertThat(suspended.json().get("penalty").asText()).isEqualTo("suspension");
        assertThat(startUpload(troll).status()).isEqualTo(403);
        Api.Reply comment = api.post("/api/v1/videos/" + trollVideo + "/comments", "{\"text\":\"hi\"}", troll);
        assertThat(comment.status()).isEqualTo(403);
        assertThat(comment.code()).isEqualTo("account_suspended");
        // Appeals stay open to them.
        String actionId = suspended.json().get("id").asText();
        assertThat(api.post("/api/v1/me/moderation/actions/" + actionId + "/appeal", "{\"message\":\"I was hacked.\"}", troll).status())
                .isEqualTo(201);
        assertThat(api.post("/api/v1/admin/moderation/appeals/" + actionId, "{\"decision\":\"reject\",\"reason\":\"No sign of that.\"}", mod)
                .json().get("status").asText()).isEqualTo("rejected");
        assertThat(startUpload(troll).status()).isEqualTo(403);
        // Severe abuse terminates at once.
        String worst = server.register("worst");
        String worstVideo = api.seedVideo(api.userId(worst), "Worst", "public", Instant.now());
        assertThat(act(mod, "video", worstVideo, "remove", "Child abuse.", "\"severe\":true").json().get("penalty").asText())
                .isEqualTo("termination");
        assertThat(api.ok("/api/v1/me/standing", worst).get("terminated").asBoolean()).isTrue();
        String otherWorst = api.seedVideo(api.userId(worst), "Also worst", "public", Instant.now().minusSeconds(60));
        assertThat(api.get("/api/v1/videos/" + otherWorst, null).code()).isEqualTo("channel_terminated"); // the whole channel goes
        assertThat(Api.ids(api.ok("/api/v1/videos?limit=100", null).get("items"))).doesNotContain(otherWorst);
        assertThat(startUpload(worst).code()).isEqualTo("account_suspended");
    }

    @Test
    void twoModeratorsStrikingAtOnceBothCount() throws Exception {
        String target = server.register("doublestruck");
        String targetId = api.userId(target);
        String v = api.seedVideo(targetId, "Twice", "public", Instant.now());
        assertThat(act(mod, "video", v, "warn", "First.", null).status()).isEqualTo(201);
        var replies = Api.concurrently(2, () -> act(mod, "video", v, "strike", "At once.", null));
        assertThat(replies).allSatisfy(r -> assertThat(r.json().get("penalty").asText()).isEqualTo("strike"));
        JsonNode standing = api.ok("/api/v1/me/standing", target);
        assertThat(standing.get("active_strikes").asInt()).isEqualTo(2);
        // Two strikes within 90 days: two weeks, which only a standing that counted both gives.
        Instant until = Instant.parse(standing.get("frozen_until").asText());
        assertThat(Duration.between(Instant.now(), until)).isGreaterThan(Duration.ofDays(13));
        // The stored standing, which the upload check reads, counted both as well.
        Api.Reply refused = startUpload(target);
        assertThat(refused.code()).isEqualTo("account_restricted");
        assertThat(refused.json().get("message").asText()).contains(standing.get("frozen_until").asText());
    }

    @Test
    void ageRestrictionAndSensitiveMarksShowInTheFlagsAndCommentsCanBeRemoved() throws Exception {
        String video = api.seedVideo(creatorId, "Surgery", "public", Instant.now());
        String plain = api.seedVideo(creatorId, "Cats", "public", Instant.now());
        assertThat(act(mod, "video", video, "mark_sensitive", "Surgery footage.", null).status()).isEqualTo(201);
        assertThat(act(mod, "video", video, "age_restrict", "Graphic.", null).status()).isEqualTo(201);
        JsonNode flags = api.ok("/api/v1/moderation/flags?ids=" + video + "," + plain + ",bad/id", null).get("items");
        assertThat(flags.get(video).get("sensitive").asBoolean()).isTrue();
        assertThat(flags.get(video).get("age_restricted").asBoolean()).isTrue();
        assertThat(flags.has(plain)).isFalse();
        assertThat(api.get("/api/v1/videos/" + video, creator).status()).isEqualTo(200); // flagged, still up
        // Age-restricted is enforced (issue 17, docs/content-protection.md): anonymous viewers are asked to sign in, within a second.
        Api.await(Duration.ofSeconds(5), () -> "age_restricted_sign_in".equals(api.get("/api/v1/videos/" + video, null).code()));

        String commentId = api.post("/api/v1/videos/" + plain + "/comments", "{\"text\":\"buy pills\"}", viewer).json().get("id").asText();
        assertThat(api.post("/api/v1/reports", report("comment", commentId, "spam", null), viewer2).status()).isEqualTo(201);
        assertThat(act(mod, "comment", commentId, "remove", "Spam.", null).status()).isEqualTo(201);
        assertThat(api.get("/api/v1/comments/" + commentId, null).status()).isEqualTo(404);
        assertThat(api.ok("/api/v1/me/reports", viewer2).get("items").get(0).get("status").asText()).isEqualTo("actioned");
    }

    @Test
    void aVideoWithAHeldKeywordWaitsForApprovalThenPublishes() throws Exception {
        String newbie = server.register("newbie");
        String fan = server.register("fan");
        assertThat(api.put("/api/v1/channels/" + api.userId(newbie) + "/subscription", null, fan).status()).isBetween(200, 204);
        Path clip = server.clip(Files.createDirectories(dir.resolve("clips2")), "held.mp4", 160, 90, 1);
        String video = upload(clip, "Please holdme for review", newbie);
        // Held in the upload's completion transaction: in place when the upload is answered, before any worker
        // can make the video ready (a copied source is ready in under a second) and so before it can be announced.
        assertThat(api.ok("/api/v1/me/standing", newbie).get("held").findValuesAsText("video_id")).containsExactly(video);
        server.awaitEnd(video, newbie);
        Api.await(Duration.ofSeconds(10), () -> api.get("/api/v1/videos/" + video, null).status() == 404);
        // The creator hears that processing finished, so the notifications consumer is past the video's
        // publication: the subscriber was not told of a video they could not open.
        Api.await(Duration.ofSeconds(20), () -> notifications(newbie, video).contains("video_ready"));
        assertThat(notifications(fan, video)).doesNotContain("new_video");
        assertThat(Api.ids(api.ok("/api/v1/me/feed", fan).get("items"))).doesNotContain(video);
        // The creator's Studio says it waits for a moderator, and why.
        JsonNode waiting = api.ok("/api/v1/me/standing", newbie).get("held");
        assertThat(waiting.findValuesAsText("video_id")).containsExactly(video);
        assertThat(waiting.get(0).get("reason").asText()).contains("holdme");
        assertThat(api.get("/api/v1/videos/" + video, newbie).status()).isEqualTo(200); // the owner sees it
        assertThat(api.get("/api/v1/videos/" + video, mod).status()).isEqualTo(200); // and moderators
        assertThat(Api.ids(api.ok("/api/v1/videos", null).get("items"))).doesNotContain(video);
        JsonNode held = api.ok("/api/v1/admin/moderation/queue", mod).get("held");
        assertThat(held.findValuesAsText("id")).contains(video);
        assertThat(act(mod, "video", video, "approve", "Harmless.", null).status()).isEqualTo(201);
        assertThat(api.get("/api/v1/videos/" + video, null).status()).isEqualTo(200);
        assertThat(Api.ids(api.ok("/api/v1/videos", null).get("items"))).contains(video);
        // Approved: the subscriber is told now, once, and the creator hears the decision.
        Api.await(Duration.ofSeconds(10), () -> notifications(fan, video).contains("new_video"));
        Api.await(Duration.ofSeconds(10), () -> notifications(newbie, video).contains("video_approved"));
        assertThat(notifications(fan, video)).containsOnlyOnce("new_video");
        assertThat(Api.ids(api.ok("/api/v1/me/feed", fan).get("items"))).contains(video);
        assertThat(api.ok("/api/v1/me/standing", newbie).get("held")).isEmpty();
    }

    @Test
    void aScheduledHeldVideoIsAnnouncedOnApprovalAndATakenDownOneDoesNotStallTheSchedule() throws Exception {
        String removedOwner = server.register("sched-removed");
        String heldOwner = server.register("sched-held");
        String fan = server.register("sched-fan");
        assertThat(api.put("/api/v1/channels/" + api.userId(heldOwner) + "/subscription", null, fan).status()).isBetween(200, 204);
        String removed = api.seedVideo(api.userId(removedOwner), "Scheduled then removed", "private", Instant.now());
        String held = api.seedVideo(api.userId(heldOwner), "Scheduled and held", "private", Instant.now());
        try (var c = api.db(); var st = c.prepareStatement(
                "INSERT INTO video_moderation (video_id, held_at, hold_reason) VALUES (?, now(), 'New account.')")) {
            st.setString(1, held);
            st.executeUpdate();
        }
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        assertThat(api.patch("/api/v1/videos/" + removed + "/details", "{\"publish_at\":\"" + now.plusSeconds(4) + "\"}", removedOwner).status())
                .isEqualTo(200);
        assertThat(api.patch("/api/v1/videos/" + held + "/details", "{\"publish_at\":\"" + now.plusSeconds(5) + "\"}", heldOwner).status())
                .isEqualTo(200);
        assertThat(act(mod, "video", removed, "remove", "Spam.", null).status()).isEqualTo(201);
        // The taken-down video due first cannot be published; the held one due after it still is, for its owner.
        Api.await(Duration.ofSeconds(30), () -> "public".equals(api.ok("/api/v1/videos/" + held, heldOwner).get("privacy").asText()));
        assertThat(api.get("/api/v1/videos/" + held, null).status()).isEqualTo(404); // still held for everyone else
        assertThat(api.get("/api/v1/videos/" + removed, removedOwner).code()).isEqualTo("video_taken_down");
        assertThat(api.get("/api/v1/videos/" + removed, null).status()).isEqualTo(404); // never published: still private

        Api.Reply approved = act(mod, "video", held, "approve", "Fine.", null);
        assertThat(approved.status()).isEqualTo(201);
        Instant approvedAt = Instant.parse(approved.json().get("created_at").asText());
        Api.await(Duration.ofSeconds(10), () -> notifications(fan, held).contains("new_video"));
        assertThat(notifications(fan, held)).containsOnlyOnce("new_video");
        for (JsonNode n : api.ok("/api/v1/notifications?limit=100", fan).get("items")) {
            if (held.equals(n.path("video_id").asText())) {
                // Told on the approval, not when the schedule made the still-held video public.
                assertThat(Instant.parse(n.get("created_at").asText())).isAfterOrEqualTo(approvedAt.minusMillis(1));
            }
        }
    }

    @Test
    void removingAReportedLiveChatMessageDeletesItFromTheChat() throws Exception {
        String streamer = server.register("streamer");
        String liveId = "live" + System.nanoTime();
        long message;
        try (var c = api.db()) {
            try (var st = c.prepareStatement("""
                    INSERT INTO live_sessions (id, owner_id, title, state, ingest_url, lease_until, started_at)
                    VALUES (?, ?, 'Chatty', 'ended', 'http://127.0.0.1:1/', now(), now())""")) {
                st.setString(1, liveId);
                st.setString(2, api.userId(streamer));
                st.executeUpdate();
            }
            try (var st = c.prepareStatement("INSERT INTO live_chat_messages (live_id, author_id, body, created_at) VALUES (?, ?, 'you are awful', now()) RETURNING id")) {
                st.setString(1, liveId);
                st.setString(2, api.userId(viewer2));
                var rs = st.executeQuery();
                rs.next();
                message = rs.getLong(1);
            }
        }
        String chat = "/api/v1/lives/" + liveId + "/chat";
        assertThat(api.ok(chat, null).get("items").findValuesAsText("body")).contains("you are awful");
        assertThat(api.post("/api/v1/reports", report("live_chat", Long.toString(message), "harassment", null), streamer).status()).isEqualTo(201);
        JsonNode entry = entry(api.ok("/api/v1/admin/moderation/queue", mod), Long.toString(message));
        assertThat(entry.toString()).contains("you are awful"); // the queue shows the message itself now
        assertThat(act(mod, "live_chat", Long.toString(message), "remove", "Harassment.", null).status()).isEqualTo(201);
        assertThat(api.ok(chat, null).get("items").findValuesAsText("body")).doesNotContain("you are awful");
        assertThat(api.ok("/api/v1/me/reports", streamer).get("items").get(0).get("outcome").asText()).startsWith("Removed");
    }

    /** The types of {@code token}'s notifications about {@code video}. */
    static java.util.List<String> notifications(String token, String video) throws Exception {
        java.util.List<String> types = new java.util.ArrayList<>();
        for (JsonNode n : api.ok("/api/v1/notifications?limit=100", token).get("items")) {
            if (video.equals(n.path("video_id").asText())) types.add(n.get("type").asText());
        }
        return types;
    }

    @Test
    void aTakenDownVideoLeavesOthersPlaylistsAndHistoriesButNotItsOwnersAndTheOwnerIsTold() throws Exception {
        String owner = server.register("playlisted");
        String ownerId = api.userId(owner);
        String video = api.seedVideo(ownerId, "Listed then removed", "public", Instant.now());
        String playlist = api.post("/api/v1/playlists", "{\"title\":\"Mix\",\"privacy\":\"public\"}", viewer).json().get("id").asText();
        assertThat(api.post("/api/v1/playlists/" + playlist + "/items", "{\"video_id\":\"" + video + "\"}", viewer).status()).isBetween(200, 204);
        try (var c = api.db(); var st = c.prepareStatement(
                "INSERT INTO watch_history (user_id, video_id, position_seconds, first_watched_at, updated_at) VALUES (?, ?, 5, now(), now())")) {
            for (String user : java.util.List.of(api.userId(viewer), ownerId)) {
                st.setString(1, user);
                st.setString(2, video);
                st.executeUpdate();
            }
        }
        String items = "/api/v1/playlists/" + playlist + "/items";
        assertThat(api.ok(items, null).get("items").findValuesAsText("id")).contains(video);
        assertThat(api.ok("/api/v1/me/history", viewer).get("items").findValuesAsText("id")).contains(video);

        assertThat(act(mod, "video", video, "remove", "Spam.", null).status()).isEqualTo(201);
        assertThat(api.ok(items, null).get("items").findValuesAsText("id")).doesNotContain(video);
        assertThat(api.ok(items, viewer).get("items").findValuesAsText("id")).doesNotContain(video);
        assertThat(api.ok("/api/v1/me/history", viewer).get("items").findValuesAsText("id")).doesNotContain(video);
        // Its owner still finds it in their history; opening it says it was taken down (410 video_taken_down).
        assertThat(api.ok("/api/v1/me/history", owner).get("items").findValuesAsText("id")).contains(video);
        assertThat(api.get("/api/v1/videos/" + video, owner).code()).isEqualTo("video_taken_down");
        Api.await(Duration.ofSeconds(10), () -> notifications(owner, video).contains("video_taken_down"));
        assertThat(api.ok("/api/v1/notifications", owner).get("items").get(0).get("message").asText()).contains("Spam.");
    }

    @Test
    void usersBlockChannelsCreatorsHideUsersAndAdminsBlockEmailDomains() throws Exception {
        String video = api.seedVideo(creatorId, "Blockable", "public", Instant.now());
        assertThat(api.put("/api/v1/me/blocked-channels/" + creatorId, null, viewer).status()).isEqualTo(204);
        assertThat(api.ok("/api/v1/moderation/flags?ids=" + video, viewer).get("items").get(video).get("hidden").asBoolean()).isTrue();
        assertThat(api.ok("/api/v1/moderation/flags?ids=" + video, viewer2).get("items").has(video)).isFalse();
        assertThat(api.ok("/api/v1/me/blocked-channels", viewer).get("items").toString()).contains(creatorId);
        assertThat(api.put("/api/v1/me/blocked-channels/" + api.userId(viewer), null, viewer).code()).isEqualTo("own_channel");
        assertThat(api.delete("/api/v1/me/blocked-channels/" + creatorId, viewer).status()).isEqualTo(204);
        assertThat(api.ok("/api/v1/moderation/flags?ids=" + video, viewer).get("items").has(video)).isFalse();

        assertThat(api.put("/api/v1/me/hidden-users/" + api.userId(viewer2), null, creator).status()).isEqualTo(204);
        assertThat(api.ok("/api/v1/me/hidden-users", creator).get("items").toString()).contains(api.userId(viewer2));

        assertThat(api.put("/api/v1/videos/" + video + "/comment-settings", "{\"mode\":\"held\"}", creator).status()).isEqualTo(200);
        assertThat(api.ok("/api/v1/videos/" + video + "/comment-settings", null).get("mode").asText()).isEqualTo("held");
        assertThat(api.put("/api/v1/videos/" + video + "/comment-settings", "{\"mode\":\"held\"}", viewer).status()).isEqualTo(403);
        assertThat(api.put("/api/v1/videos/" + video + "/comment-settings", "{\"mode\":\"loud\"}", creator).code()).isEqualTo("invalid_mode");

        // Comments: held for approval by the video's setting, by a keyword, or because the channel hid the author.
        String held = api.post("/api/v1/videos/" + video + "/comments", "{\"text\":\"first!\"}", viewer).json().get("id").asText();
        String keyword = api.post("/api/v1/videos/" + plainVideo() + "/comments", "{\"text\":\"HoldMe please\"}", viewer).json().get("id").asText();
        String byHidden = api.post("/api/v1/videos/" + plainVideo() + "/comments", "{\"text\":\"hello again\"}", viewer2).json().get("id").asText();
        String open = api.post("/api/v1/videos/" + plainVideo() + "/comments", "{\"text\":\"nice\"}", viewer).json().get("id").asText();
        assertThat(commentIds(video, null)).doesNotContain(held);
        assertThat(commentIds(video, viewer)).contains(held); // its author sees it
        assertThat(commentIds(video, creator)).contains(held); // and the video's owner, who approves it
        assertThat(api.get("/api/v1/comments/" + held, viewer2).status()).isEqualTo(404);
        assertThat(api.ok("/api/v1/videos/" + video + "/held-comments", creator).get("items").findValuesAsText("id")).contains(held);
        assertThat(api.get("/api/v1/videos/" + video + "/held-comments", viewer2).status()).isEqualTo(403);
        assertThat(api.post("/api/v1/comments/" + held + "/approve", null, viewer2).status()).isEqualTo(403);
        assertThat(api.post("/api/v1/comments/" + held + "/approve", null, creator).status()).isEqualTo(204);
        assertThat(commentIds(video, null)).contains(held);
        assertThat(commentIds(plainVideo(), null)).contains(open).doesNotContain(keyword, byHidden);
        assertThat(commentIds(plainVideo(), viewer2)).contains(byHidden); // a hidden user still sees their own
        // A blocked channel's comments disappear for the one who blocked it.
        assertThat(api.put("/api/v1/me/blocked-channels/" + api.userId(viewer), null, viewer2).status()).isEqualTo(204);
        assertThat(commentIds(plainVideo(), viewer2)).doesNotContain(open);
        assertThat(commentIds(plainVideo(), null)).contains(open);
        // ...and so do its notifications: a reply from the blocked channel notifies the blocker of nothing.
        String other = api.seedVideo(modId, "Mod's video", "public", Instant.now());
        String toBlocker = api.post("/api/v1/videos/" + other + "/comments", "{\"text\":\"q1\"}", viewer2).json().get("id").asText();
        String toMod = api.post("/api/v1/videos/" + other + "/comments", "{\"text\":\"q2\"}", mod).json().get("id").asText();
        api.post("/api/v1/videos/" + other + "/comments", "{\"text\":\"a1\",\"parent_id\":\"" + toBlocker + "\"}", viewer);
        api.post("/api/v1/videos/" + other + "/comments", "{\"text\":\"a2\",\"parent_id\":\"" + toMod + "\"}", viewer);
        Api.await(Duration.ofSeconds(10), () -> api.ok("/api/v1/notifications", mod).get("items").findValuesAsText("type").contains("reply"));
        assertThat(api.ok("/api/v1/notifications", viewer2).get("items").findValuesAsText("type")).doesNotContain("reply");
        // Blocking hides what the channel's notifications said before the block too (list and unread count).
        String watcher = server.register("watcher");
        String asked = api.post("/api/v1/videos/" + other + "/comments", "{\"text\":\"q3\"}", watcher).json().get("id").asText();
        api.post("/api/v1/videos/" + other + "/comments", "{\"text\":\"a3\",\"parent_id\":\"" + asked + "\"}", viewer);
        Api.await(Duration.ofSeconds(10), () -> api.ok("/api/v1/notifications", watcher).get("items").findValuesAsText("type").contains("reply"));
        assertThat(api.ok("/api/v1/notifications/unread-count", watcher).get("unread_count").asLong()).isEqualTo(1);
        assertThat(api.put("/api/v1/me/blocked-channels/" + api.userId(viewer), null, watcher).status()).isEqualTo(204);
        assertThat(api.ok("/api/v1/notifications", watcher).get("items")).isEmpty();
        assertThat(api.ok("/api/v1/notifications/unread-count", watcher).get("unread_count").asLong()).isZero();

        // Comments off: nobody posts.
        assertThat(api.put("/api/v1/videos/" + video + "/comment-settings", "{\"mode\":\"off\"}", creator).status()).isEqualTo(200);
        assertThat(api.post("/api/v1/videos/" + video + "/comments", "{\"text\":\"x\"}", viewer).status()).isEqualTo(403);

        String block = "{\"domain\":\"Spam.Example\",\"reason\":\"Bot sign-ups.\"}";
        assertThat(api.post("/api/v1/admin/blocked-domains", block, mod).status()).isEqualTo(403);
        assertThat(api.post("/api/v1/admin/blocked-domains", "{\"domain\":\"not a domain\",\"reason\":\"x\"}", admin).code())
                .isEqualTo("invalid_domain");
        assertThat(api.post("/api/v1/admin/blocked-domains", block, admin).status()).isEqualTo(201);
        Api.Reply refused = api.post("/api/v1/auth/register",
                "{\"username\":\"bot1\",\"email\":\"bot1@spam.example\",\"password\":\"correct horse\"}", null);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.code()).isEqualTo("sign_up_refused");
        assertThat(api.post("/api/v1/auth/register",
                "{\"username\":\"human1\",\"email\":\"human1@fine.example\",\"password\":\"correct horse\"}", null).status()).isEqualTo(201);
        assertThat(api.delete("/api/v1/admin/blocked-domains/spam.example", admin).status()).isEqualTo(204);
        assertThat(api.post("/api/v1/auth/register",
                "{\"username\":\"bot2\",\"email\":\"bot2@spam.example\",\"password\":\"correct horse\"}", null).status()).isEqualTo(201);
    }

    static String plain;

    /** A video of the creator's with default comment settings, for the comment holds. */
    static String plainVideo() throws Exception {
        if (plain == null) plain = api.seedVideo(creatorId, "Plain", "public", Instant.now());
        return plain;
    }

    static java.util.List<String> commentIds(String video, String token) throws Exception {
        return api.ok("/api/v1/videos/" + video + "/comments?limit=100", token).get("items").findValuesAsText("id");
    }

    @Test
    void theAuditLogRecordsEveryActionIsSearchableByItemAndActorExportsCsvAndCannotBeRewritten() throws Exception {
        String video = api.seedVideo(creatorId, "Audited", "public", Instant.now());
        assertThat(act(mod, "video", video, "mark_sensitive", "Flashing lights, \"epilepsy\" risk", null).status()).isEqualTo(201);
        assertThat(act(admin, "video", video, "age_restrict", "=HYPERLINK(\"x\")", null).status()).isEqualTo(201);
        JsonNode byItem = api.ok("/api/v1/admin/audit?kind=video&item=" + video, mod).get("items");
        assertThat(byItem).hasSize(2);
        assertThat(byItem.get(0).get("action").asText()).isEqualTo("age_restrict"); // newest first
        assertThat(byItem.get(1).get("actor_id").asText()).isEqualTo(modId);
        JsonNode byActor = api.ok("/api/v1/admin/audit?actor=" + modId + "&limit=1", mod);
        assertThat(byActor.get("items")).hasSize(1);
        assertThat(byActor.get("items").get(0).get("actor_id").asText()).isEqualTo(modId);
        // Cursor pages: the item's two lines one at a time, newest first, and no page after the last.
        JsonNode first = api.ok("/api/v1/admin/audit?kind=video&item=" + video + "&limit=1", mod);
        assertThat(first.get("items").get(0).get("action").asText()).isEqualTo("age_restrict");
        JsonNode second = api.ok("/api/v1/admin/audit?kind=video&item=" + video + "&limit=1&cursor=" + first.get("next_cursor").asText(), mod);
        assertThat(second.get("items").get(0).get("action").asText()).isEqualTo("mark_sensitive");
        assertThat(second.get("next_cursor").isNull()).isTrue();
        assertThat(api.get("/api/v1/admin/audit?cursor=x", mod).code()).isEqualTo("invalid_cursor");
        assertThat(api.get("/api/v1/admin/audit?kind=planet", mod).code()).isEqualTo("invalid_kind");

        HttpResponse<String> csv = server.get("/api/v1/admin/audit.csv?item=" + video, mod);
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        String[] lines = csv.body().split("\r\n");
        assertThat(lines[0]).isEqualTo("id,at,actor_id,action,item_kind,item_id,reason,details");
        assertThat(lines).hasSize(3);
        assertThat(lines[1]).contains(",age_restrict,video," + video + ",\"'=HYPERLINK(\"\"x\"\")\"");
        assertThat(lines[2]).contains("\"Flashing lights, \"\"epilepsy\"\" risk\"");

        try (Connection c = api.db(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate("UPDATE audit_log SET reason = 'nothing happened'")).hasMessageContaining("append-only");
            assertThatThrownBy(() -> st.executeUpdate("DELETE FROM audit_log")).hasMessageContaining("append-only");
        }
    }
}
