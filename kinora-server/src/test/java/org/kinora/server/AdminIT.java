package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.core.blob.BlobKeys;

/**
 * The admin API on a real server: who may reach what (a user nothing, a moderator accounts and
 * videos but not roles, jobs or settings), suspension and sign-up modes as sign-in sees them,
 * run-time settings, and a dead job replayed — the real worker dead-letters a transcode whose
 * original vanished, and after the original is back the replay makes it run to the end.
 */
@Timeout(180)
class AdminIT {
    @TempDir
    static Path dir;
    static TestServer server;
    static Api api;
    static String admin;
    static String mod;
    static String bob;
    static String bobId;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(dir.resolve("data"), Map.of());
        api = new Api(server);
        admin = server.register("root");
        mod = server.register("mod");
        bob = server.register("bob");
        bobId = api.userId(bob);
        assertThat(api.patch("/api/v1/admin/users/" + api.userId(mod), "{\"role\":\"moderator\"}", admin).status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void onlyTheRightRolesReachTheAdminApi() throws Exception {
        for (String path : new String[] {"/api/v1/admin/users", "/api/v1/admin/videos", "/api/v1/admin/jobs", "/api/v1/admin/settings",
                "/api/v1/admin/health", "/api/v1/admin/jobs/summary"}) {
            assertThat(api.get(path, null).status()).as("anonymous " + path).isEqualTo(401);
            assertThat(api.get(path, bob).status()).as("user " + path).isEqualTo(403);
            assertThat(api.get(path, admin).status()).as("admin " + path).isEqualTo(200);
        }
        assertThat(api.get("/api/v1/admin/users?q=bo", mod).json().get("items")).singleElement()
                .satisfies(u -> assertThat(u.get("username").asText()).isEqualTo("bob"));
        assertThat(api.get("/api/v1/admin/videos", mod).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/admin/jobs", mod).status()).isEqualTo(403);
        assertThat(api.patch("/api/v1/admin/settings", "{\"signups\":\"closed\"}", mod).status()).isEqualTo(403);
        assertThat(api.patch("/api/v1/admin/users/" + bobId, "{\"role\":\"moderator\"}", mod).status()).isEqualTo(403);
        assertThat(api.post("/api/v1/admin/users/" + api.userId(admin) + "/suspension", "{\"reason\":\"coup\"}", mod).status()).isEqualTo(403);
        assertThat(api.get("/api/v1/admin/videos?status=nonsense", admin).code()).isEqualTo("invalid_status");
        assertThat(api.get("/api/v1/admin/jobs/abc", admin).code()).isEqualTo("invalid_job_id");
        JsonNode health = api.ok("/api/v1/admin/health", admin);
        assertThat(health.get("status").asText()).isEqualTo("up");
        assertThat(health.get("checks").get("database").asText()).isEqualTo("up");
        assertThat(health.get("meters").findValuesAsText("name")).contains("kinora.jobs.dead", "jvm.memory.used");
    }

    @Test
    void aSuspendedAccountIsSignedOutAndCannotSignIn() throws Exception {
        String eve = server.register("eve");
        String eveId = api.userId(eve);
        assertThat(api.post("/api/v1/admin/users/" + eveId + "/suspension", "{}", mod).code()).isEqualTo("missing_reason");
        assertThat(api.post("/api/v1/admin/users/" + eveId + "/suspension", "{\"reason\":\"Spam uploads.\"}", mod).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/me", eve).status()).isEqualTo(401);
        Api.Reply signIn = api.post("/api/v1/auth/token", "{\"username\":\"eve\",\"password\":\"correct horse\"}", null);
        assertThat(signIn.status()).isEqualTo(403);
        assertThat(signIn.code()).isEqualTo("account_suspended");
        assertThat(signIn.json().get("message").asText()).contains("Spam uploads.");
        // A wrong password still gets the answer an unknown account gets: the suspension shows only to the owner.
        Api.Reply wrong = api.post("/api/v1/auth/token", "{\"username\":\"eve\",\"password\":\"wrong horse\"}", null);
        Api.Reply unknown = api.post("/api/v1/auth/token", "{\"username\":\"nobody-here\",\"password\":\"wrong horse\"}", null);
        assertThat(wrong.status()).isEqualTo(401).isEqualTo(unknown.status());
        assertThat(wrong.raw().body()).isEqualTo(unknown.raw().body());
        JsonNode row = api.ok("/api/v1/admin/users?q=eve", admin).get("items").get(0);
        assertThat(row.get("suspension_reason").asText()).isEqualTo("Spam uploads.");
        assertThat(api.delete("/api/v1/admin/users/" + eveId + "/suspension", mod).status()).isEqualTo(204);
        assertThat(api.post("/api/v1/auth/token", "{\"username\":\"eve\",\"password\":\"correct horse\"}", null).status()).isEqualTo(200);
    }

    @Test
    void holdsBeforePublicationAreInstanceSettingsThatApplyAtOnce(@TempDir Path tmp) throws Exception {
        try {
            assertThat(api.patch("/api/v1/admin/settings", "{\"hold_keywords\":\"casino\"}", mod).status()).isEqualTo(403);
            assertThat(api.patch("/api/v1/admin/settings", "{\"hold_new_account_days\":-1}", admin).code()).isEqualTo("invalid_hold");
            JsonNode set = api.patch("/api/v1/admin/settings", "{\"hold_keywords\":\" Casino ,,Giveaway\",\"hold_new_account_days\":1}", admin).json();
            assertThat(set.get("hold_keywords").asText()).isEqualTo("casino, giveaway");
            assertThat(set.get("defaults").get("hold_keywords").asText()).isEmpty(); // the config file holds nothing

            // A comment with a held word waits for review, from the next request on.
            String video = api.seedVideo(bobId, "Settings hold", "public", java.time.Instant.now());
            String commenter = server.register("commenter");
            String held = api.post("/api/v1/videos/" + video + "/comments", "{\"text\":\"Win at the CASINO\"}", commenter).json().get("id").asText();
            assertThat(api.ok("/api/v1/videos/" + video + "/comments", null).get("items").findValuesAsText("id")).doesNotContain(held);
            // An upload by an account younger than a day waits for a moderator (the config file holds none).
            byte[] clip = java.nio.file.Files.readAllBytes(server.clip(tmp, "newcomer.mp4", 160, 90, 1));
            String upload = server.upload(clip, commenter);
            server.awaitEnd(upload, commenter);
            Api.await(java.time.Duration.ofSeconds(10), () -> api.get("/api/v1/videos/" + upload, null).status() == 404);
            assertThat(api.ok("/api/v1/admin/moderation/queue", mod).get("held").findValuesAsText("id")).contains(upload);

            api.patch("/api/v1/admin/settings", "{\"hold_keywords\":\"\",\"hold_new_account_days\":0}", admin);
            String open = api.post("/api/v1/videos/" + video + "/comments", "{\"text\":\"Win at the casino\"}", commenter).json().get("id").asText();
            assertThat(api.ok("/api/v1/videos/" + video + "/comments", null).get("items").findValuesAsText("id")).contains(open);
        } finally {
            api.patch("/api/v1/admin/settings", "{\"hold_keywords\":\"\",\"hold_new_account_days\":0}", admin);
        }
    }

    @Test
    void signUpModesAndTheWriteBudgetApplyAtOnce() throws Exception {
        String register = "{\"username\":\"%s\",\"email\":\"%s@example.org\",\"password\":\"correct horse\"}";
        try {
            assertThat(api.patch("/api/v1/admin/settings", "{\"signups\":\"closed\"}", admin).json().get("signups").asText()).isEqualTo("closed");
            assertThat(api.post("/api/v1/auth/register", register.formatted("carl", "carl"), null).code()).isEqualTo("signups_closed");

            api.patch("/api/v1/admin/settings", "{\"signups\":\"approval\"}", admin);
            Api.Reply created = api.post("/api/v1/auth/register", register.formatted("dana", "dana"), null);
            assertThat(created.status()).isEqualTo(201);
            assertThat(created.json().get("awaiting_approval").asBoolean()).isTrue();
            String signIn = "{\"username\":\"dana\",\"password\":\"correct horse\"}";
            assertThat(api.post("/api/v1/auth/token", signIn, null).code()).isEqualTo("awaiting_approval");
            assertThat(api.post("/api/v1/admin/users/" + created.json().get("id").asText() + "/approval", null, mod).status()).isEqualTo(403);
            assertThat(api.post("/api/v1/admin/users/" + created.json().get("id").asText() + "/approval", null, admin).status()).isEqualTo(204);
            assertThat(api.post("/api/v1/auth/token", signIn, null).status()).isEqualTo(200);

            assertThat(api.patch("/api/v1/admin/settings", "{\"writes_per_minute\":0}", admin).code()).isEqualTo("invalid_rate");
            api.patch("/api/v1/admin/settings", "{\"writes_per_minute\":3,\"upload_quota_bytes\":5,\"signups\":\"open\"}", admin);
            String frank = server.register("frank");
            for (int i = 0; i < 3; i++) assertThat(api.put("/api/v1/me/history/settings", "{\"paused\":true}", frank).status()).isEqualTo(200);
            assertThat(api.put("/api/v1/me/history/settings", "{\"paused\":true}", frank).status()).isEqualTo(429);
            assertThat(api.ok("/api/v1/me", bob).get("upload_quota").get("quota_bytes").asLong()).isEqualTo(5);
        } finally {
            api.patch("/api/v1/admin/settings", "{\"signups\":\"open\",\"writes_per_minute\":1000,\"upload_quota_bytes\":-1}", admin);
        }
    }

    @Test
    void aDeadJobIsShownWithItsErrorAndReplayed(@TempDir Path tmp) throws Exception {
        String video = server.upload(Files.readAllBytes(server.clip(tmp, "clip.mp4", 320, 240, 2)), bob);
        assertThat(server.awaitEnd(video, bob).get("status").asText()).isEqualTo("ready");
        Path original = server.config.blobDir().resolve(BlobKeys.original(video));
        Path aside = tmp.resolve("aside");

        long first = deadTranscode(video, original, aside);
        JsonNode dead = api.ok("/api/v1/admin/jobs/" + first, admin);
        assertThat(dead.get("status").asText()).isEqualTo("dead");
        assertThat(dead.get("last_error").asText()).isNotBlank();
        assertThat(api.ok("/api/v1/admin/jobs?status=dead", admin).get("items").findValuesAsText("id")).contains(Long.toString(first));
        assertThat(api.post("/api/v1/admin/jobs/" + first + "/replay", null, bob).status()).isEqualTo(403);

        Files.move(aside, original);
        JsonNode replayed = api.post("/api/v1/admin/jobs/" + first + "/replay", null, admin).json();
        assertThat(replayed.get("status").asText()).isEqualTo("queued");
        assertThat(replayed.get("attempts").asInt()).isZero();
        awaitJob(first, "done");
        assertThat(api.post("/api/v1/admin/jobs/" + first + "/replay", null, admin).code()).isEqualTo("job_not_dead");

        long second = deadTranscode(video, original, aside);
        Files.move(aside, original);
        JsonNode all = api.post("/api/v1/admin/jobs/replay", "{\"kind\":\"transcode\"}", admin).json();
        assertThat(all.get("replayed").asInt()).isEqualTo(1);
        awaitJob(second, "done");
        assertThat(server.video(video, bob).get("status").asText()).isEqualTo("ready");
    }

    /** Queues a one-attempt transcode of {@code video} with its original moved away; the worker dead-letters it. */
    private long deadTranscode(String video, Path original, Path aside) throws Exception {
        Files.move(original, aside, StandardCopyOption.REPLACE_EXISTING);
        long id;
        try (Connection c = DriverManager.getConnection(server.kinora.databaseUrl());
             PreparedStatement q = c.prepareStatement("INSERT INTO jobs (kind, video_id, status, max_attempts) VALUES ('transcode', ?, 'queued', 1) RETURNING id")) {
            q.setString(1, video);
            var rs = q.executeQuery();
            rs.next();
            id = rs.getLong(1);
        }
        awaitJob(id, "dead");
        return id;
    }

    private void awaitJob(long id, String status) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!api.ok("/api/v1/admin/jobs/" + id, admin).get("status").asText().equals(status)) {
            if (Instant.now().isAfter(deadline)) throw new AssertionError("job " + id + " is not " + status + ": " + api.ok("/api/v1/admin/jobs/" + id, admin));
            Thread.sleep(200);
        }
    }
}
