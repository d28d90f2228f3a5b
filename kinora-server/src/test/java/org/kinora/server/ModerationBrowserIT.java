package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kinora.server.PageConditions.waitUntil;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.WaitForSelectorState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The moderation flow in a real headless Chromium against a real Kinora: a viewer reports a video
 * at a moment; a moderator opens the queue, watches that moment inline and takes the video down;
 * the creator reads the takedown and its reason in Studio and appeals; the moderator accepts the
 * appeal and the video plays again. Screenshots (desktop width) land in target/screenshots.
 */
@Timeout(300)
class ModerationBrowserIT {
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

    static Page open(List<String> errors) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800));
        Page page = context.newPage();
        page.setDefaultTimeout(30_000);
        page.onConsoleMessage(m -> {
            // While the video is down its page answers 404 and its API 410, which the browser logs as failed resources.
            boolean expected = m.text().startsWith("Failed to load resource") && (m.text().contains("404") || m.text().contains("410"));
            if (m.type().equals("error") && !expected) errors.add(m.text() + " @ " + m.location());
        });
        page.onPageError(e -> errors.add("uncaught: " + e));
        return page;
    }

    static void signIn(Page page, String username) {
        page.navigate(server.base + "/signin");
        page.fill("#username", username);
        page.fill("#password", "correct horse");
        page.click("#auth-form button[type=submit]");
        page.waitForURL(server.base + "/");
    }

    static void shot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + ".png")).setFullPage(false));
    }

    /** Polls a condition from outside the page (the pages' CSP forbids Playwright's in-page string evaluation). */
    @Test
    void aViewerReportsAModeratorTakesItDownTheCreatorAppealsAndTheVideoReturns() throws Exception {
        List<String> errors = new CopyOnWriteArrayList<>();
        String admin = server.register("root"); // the first account administers the instance
        String creator = server.register("maker");
        String moderator = server.register("judge");
        assertThat(api.patch("/api/v1/admin/users/" + api.userId(moderator), "{\"role\":\"moderator\"}", admin).status()).isEqualTo(200);
        String watcher = server.register("watcher");

        Path clip = server.clip(dir, "reported.mp4", 320, 180, 8);
        byte[] body = Files.readAllBytes(clip);
        var created = server.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.base + "/api/v1/uploads"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).header("Tus-Resumable", "1.0.0")
                .header("Authorization", "Bearer " + creator).header("Upload-Length", Integer.toString(body.length))
                .header("Upload-Metadata", "title " + Base64.getEncoder().encodeToString("Questionable clip".getBytes()))
                .header("Content-Type", "application/offset+octet-stream"));
        String videoId = created.headers().firstValue("Kinora-Video-Id").orElseThrow();
        assertThat(server.awaitEnd(videoId, creator).get("status").asText()).isEqualTo("ready");

        // 1. The viewer watches, pauses at a moment and reports it.
        Page viewer = open(errors);
        signIn(viewer, "watcher");
        viewer.navigate(server.base + "/watch/" + videoId);
        waitUntil(viewer, "document.getElementById('video').currentTime > 3");
        viewer.evaluate("document.getElementById('video').pause()");
        double at = ((Number) viewer.evaluate("Math.floor(document.getElementById('video').currentTime)")).doubleValue();
        viewer.click("#report");
        viewer.waitForSelector("#report-dialog[open]");
        viewer.selectOption("#report-reason", "violent");
        viewer.fill("#report-note", "Something nasty at this point.");
        assertThat(viewer.textContent("#report-at-label")).contains("0:0" + (int) at);
        shot(viewer, "moderation-report-dialog");
        viewer.click("#report-submit");
        viewer.waitForSelector("#report-dialog", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.HIDDEN));
        JsonNode mine = api.ok("/api/v1/me/reports", watcher).get("items").get(0);
        assertThat(mine.get("at_seconds").asDouble()).isEqualTo(at);
        assertThat(mine.get("status").asText()).isEqualTo("open");

        // 2. The moderator opens the queue and watches the reported moment inline.
        Page mod = open(errors);
        signIn(mod, "judge");
        mod.navigate(server.base + "/admin/moderation");
        Locator item = mod.locator(".mod-item[data-item-id='" + videoId + "']");
        item.waitFor();
        assertThat(item.locator(".mod-count").textContent()).isEqualTo("1 report");
        assertThat(item.textContent()).contains("Something nasty at this point.").contains("Questionable clip");
        item.locator("[data-role=watch-moment]").click();
        waitUntil(mod, "document.querySelector('.mod-video') && document.querySelector('.mod-video').currentTime > 0");
        double started = ((Number) mod.evaluate("document.querySelector('.mod-video').currentTime")).doubleValue();
        assertThat(started).isGreaterThanOrEqualTo(at - 0.5); // started at the reported moment, not at 0
        mod.evaluate("document.querySelector('.mod-video').pause()");
        shot(mod, "moderation-queue-desktop");
        item.locator("select[name=action]").selectOption("remove");
        item.locator("textarea[name=reason]").fill("Graphic violence (community guidelines 3.1).");
        item.locator("button[type=submit]").click();
        item.waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.DETACHED));
        assertThat(api.get("/api/v1/videos/" + videoId, null).status()).isEqualTo(410);
        viewer.reload();
        assertThat(viewer.locator("#player").count()).isZero(); // the watch page is gone too
        // The reporter reads the outcome of their report in Studio.
        viewer.navigate(server.base + "/studio");
        viewer.waitForSelector("#my-reports[data-loaded=true]", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.ATTACHED));
        assertThat(viewer.textContent("#my-reports [data-status=actioned] [data-role=outcome]")).contains("Removed");
        viewer.locator("#my-reports").scrollIntoViewIfNeeded();
        shot(viewer, "moderation-my-reports");

        // 3. The creator reads the takedown and its reason in Studio, and appeals.
        Page studio = open(errors);
        signIn(studio, "maker");
        studio.navigate(server.base + "/studio");
        studio.waitForSelector("#standing", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE));
        assertThat(studio.textContent("#standing")).contains("Removed").contains("Graphic violence (community guidelines 3.1).");
        studio.waitForSelector(".studio-item[data-video-id='" + videoId + "'] .takedown-note");
        studio.click("#standing [data-role=appeal]");
        studio.fill("#standing textarea", "It is a special-effects demo, nobody is hurt.");
        shot(studio, "moderation-studio-standing");
        studio.click("#standing [data-role=send-appeal]");
        studio.waitForSelector("#standing [data-role=appeal-status]");
        assertThat(studio.textContent("#standing [data-role=appeal-status]")).contains("Appeal sent");

        // 4. The moderator accepts the appeal.
        mod.reload();
        mod.click("#tab-appeals");
        Locator appeal = mod.locator("#appeals-list [data-action-id]");
        appeal.waitFor();
        assertThat(appeal.textContent()).contains("special-effects demo").contains("Questionable clip");
        appeal.locator("textarea").fill("Special effects: no real violence.");
        shot(mod, "moderation-appeals-desktop");
        appeal.locator("[data-role=accept]").click();
        appeal.waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.DETACHED));
        mod.click("#tab-audit");
        mod.waitForSelector("#audit-rows tr");
        assertThat(mod.textContent("#audit-rows")).contains("appeal accepted").contains("remove").contains("judge");
        shot(mod, "moderation-audit-desktop");

        // 5. The video is back: it plays for the viewer, and Studio says the decision was undone.
        viewer.navigate(server.base + "/watch/" + videoId);
        waitUntil(viewer, "document.getElementById('video').currentTime > 1");
        studio.reload();
        studio.waitForSelector("#standing .ok");
        assertThat(studio.textContent("#standing .ok")).contains("Undone on appeal");
        assertThat(studio.locator(".takedown-note").count()).isZero();

        // 6. Marked sensitive: the card's thumbnail is blurred until clicked, the player covered until the viewer agrees.
        assertThat(api.post("/api/v1/admin/moderation/actions", "{\"kind\":\"video\",\"item_id\":\"" + videoId
                + "\",\"action\":\"mark_sensitive\",\"reason\":\"Realistic gore effects.\"}", moderator).status()).isEqualTo(201);
        viewer.navigate(server.base + "/");
        // The newest grid's card: "Continue watching" and "For you" fill in on their own time, so the
        // test acts on one card it waited for rather than counting cards that may still be arriving.
        Locator card = viewer.locator("#grid .video-card[data-video-id='" + videoId + "']");
        card.locator(".sensitive-label").waitFor();
        assertThat((String) card.evaluate("c => getComputedStyle(c.querySelector('.thumb img')).filter")).contains("blur");
        shot(viewer, "moderation-sensitive-card");
        card.locator(".sensitive-label").click();
        assertThat(card.getAttribute("class")).doesNotContain("sensitive"); // shown on request
        assertThat(card.locator(".sensitive-label").count()).isZero();
        viewer.navigate(server.base + "/watch/" + videoId);
        viewer.waitForSelector("#sensitive-cover");
        viewer.waitForTimeout(1000);
        assertThat(viewer.evaluate("document.getElementById('video').paused")).isEqualTo(true);
        viewer.click("#sensitive-continue");
        waitUntil(viewer, "document.getElementById('video').currentTime > 1");
        assertThat(errors).isEmpty();
    }
}
