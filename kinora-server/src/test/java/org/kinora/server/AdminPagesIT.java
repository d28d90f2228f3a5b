package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin pages in a real headless Chromium at desktop width: accounts (suspend one), videos
 * in every state, the job queue (replay a dead job), settings and health; a plain user is told
 * the page is not for them. Screenshots land in target/screenshots/admin-*.png.
 */
@Timeout(240)
class AdminPagesIT {
    @TempDir
    static Path dir;
    static TestServer server;
    static Api api;
    static Chromium chromium;
    static Browser browser;
    static final Path SHOTS = Path.of("target/screenshots");

    @BeforeAll
    static void start() throws Exception {
        Chromium.executable(); // before anything starts: fail at once, saying how to install it
        server = new TestServer(dir.resolve("data"), Map.of());
        api = new Api(server);
        Files.createDirectories(SHOTS);
        chromium = Chromium.launch();
        browser = chromium.browser();
    }

    @AfterAll
    static void stop() {
        if (chromium != null) chromium.close();
        if (server != null) server.close();
    }

    private static Page signedIn(String username, List<String> errors) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1440, 900));
        Page page = context.newPage();
        page.setDefaultTimeout(30_000);
        page.onConsoleMessage(m -> {
            if (m.type().equals("error")) errors.add(m.text() + " @ " + m.location());
        });
        page.onPageError(e -> errors.add("uncaught: " + e));
        page.navigate(server.base + "/signin");
        page.fill("#username", username);
        page.fill("#password", "correct horse");
        page.click("#auth-form button[type=submit]");
        page.waitForURL(server.base + "/");
        return page;
    }

    private static void shot(Page page, String name) {
        page.waitForTimeout(300); // the toast and table fill-in settle
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + ".png")).setFullPage(true));
    }

    @Test
    void adminPagesShowAndAct() throws Exception {
        String root = server.register("root");
        String bob = server.register("bob");
        server.register("carol");
        String bobId = api.userId(bob);
        // Videos in several states: a real failed upload (not a video), a real ready one, and a row at 42 % processing.
        String failed = server.upload("this is not a video at all".getBytes(), bob);
        String ready = server.upload(Files.readAllBytes(server.clip(dir, "clip.mp4", 320, 240, 1)), bob);
        server.awaitEnd(failed, bob);
        server.awaitEnd(ready, bob);
        String processing = api.seedVideo(bobId, "Holiday footage (processing)", "public", Instant.now());
        long deadJob;
        try (Connection c = api.db()) {
            c.createStatement().execute("UPDATE videos SET status = 'processing', progress = 42 WHERE id = '" + processing + "'");
            var rs = c.createStatement().executeQuery("INSERT INTO jobs (kind, video_id, status, attempts, max_attempts, last_error) VALUES "
                    + "('transcode', '" + processing + "', 'dead', 5, 5, 'java.io.IOException: ffmpeg exited with 1: Invalid data found when processing input') RETURNING id");
            rs.next();
            deadJob = rs.getLong(1);
        }

        List<String> errors = new CopyOnWriteArrayList<>();
        Page admin = signedIn("root", errors);
        admin.onDialog(d -> d.accept("Spam uploads."));
        admin.navigate(server.base + "/admin#users");
        admin.locator("#users-rows tr").first().waitFor();
        assertThat(admin.locator("#users-rows tr").count()).isEqualTo(3);
        admin.locator("#users-rows tr", new Page.LocatorOptions().setHasText("carol")).getByRole(AriaRole.BUTTON,
                new com.microsoft.playwright.Locator.GetByRoleOptions().setName("Suspend")).click();
        admin.locator("#users-rows tr", new Page.LocatorOptions().setHasText("Suspended: Spam uploads.")).waitFor();
        shot(admin, "admin-users");

        admin.click("[data-tab=videos]");
        admin.locator("#videos-rows tr", new Page.LocatorOptions().setHasText("processing 42 %")).waitFor();
        assertThat(admin.locator("#videos-rows").textContent()).contains("failed").contains("ready");
        shot(admin, "admin-videos");

        admin.click("[data-tab=jobs]");
        admin.locator("#jobs-rows tr", new Page.LocatorOptions().setHasText("#" + deadJob)).waitFor();
        shot(admin, "admin-jobs");
        admin.locator("#jobs-rows tr", new Page.LocatorOptions().setHasText("#" + deadJob)).getByRole(AriaRole.BUTTON,
                new com.microsoft.playwright.Locator.GetByRoleOptions().setName("Replay")).click();
        admin.locator("#toast", new Page.LocatorOptions().setHasText("queued again")).first().waitFor();
        assertThat(api.ok("/api/v1/admin/jobs/" + deadJob, root).get("status").asText()).isNotEqualTo("dead");

        admin.click("[data-tab=settings]");
        admin.selectOption("#settings-signups", "approval"); // waits for the form to be enabled, i.e. loaded
        admin.fill("#settings-hold-days", "3");
        admin.fill("#settings-hold-keywords", "Casino, crypto giveaway");
        admin.check("#settings-hold-videos");
        admin.click("#settings-form button[type=submit]");
        admin.locator("#toast", new Page.LocatorOptions().setHasText("Settings saved")).first().waitFor();
        com.fasterxml.jackson.databind.JsonNode saved = api.ok("/api/v1/admin/settings", root);
        assertThat(saved.get("signups").asText()).isEqualTo("approval");
        assertThat(saved.get("hold_new_account_days").asInt()).isEqualTo(3);
        assertThat(saved.get("hold_keywords").asText()).isEqualTo("casino, crypto giveaway");
        assertThat(saved.get("hold_videos_by_keyword").asBoolean()).isTrue();
        shot(admin, "admin-settings");

        admin.click("[data-tab=health]");
        admin.locator("#health-checks tr").first().waitFor();
        assertThat(admin.textContent("#health-status")).contains("Ready");
        shot(admin, "admin-health");

        Page user = signedIn("bob", errors);
        user.navigate(server.base + "/admin");
        user.locator("#admin-denied").waitFor();
        assertThat(user.isVisible("#admin-tabs")).isFalse();
        // The replayed job's video may fail again (it is a fixture row without an original); that is the worker's business.
        assertThat(errors.stream().filter(e -> !e.contains("status of 4"))).isEmpty();
    }
}
