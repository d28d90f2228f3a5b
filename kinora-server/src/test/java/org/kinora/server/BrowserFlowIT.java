package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.SelectOption;
import com.microsoft.playwright.options.WaitForSelectorState;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web pages in a real headless Chromium (Debian's, installed by scripts/ensure-test-packages)
 * against a real Kinora: sign up, upload through the file chooser, processing, playback with
 * hls.js and dash.js, quality switching, keyboard, storyboard, studio edits, privacy, a
 * non-video upload and resuming after a reload; channels, subscribing, rating, comments and
 * replies, Watch later, resuming playback and live notifications. Screenshots land in target/screenshots.
 */
@Timeout(600)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserFlowIT {
    @TempDir
    static Path dir;
    static TestServer server;
    static Chromium chromium;
    static Browser browser;
    static BrowserContext alice;
    static String videoId;
    static final Path SHOTS = Path.of("target/screenshots");
    static final Duration PROCESSING = Duration.ofSeconds(120);

    @BeforeAll
    static void start() throws Exception {
        Chromium.executable(); // before anything starts: fail at once, saying how to install it
        server = new TestServer(dir.resolve("data"), Map.of());
        Files.createDirectories(SHOTS);
        chromium = Chromium.launch();
        browser = chromium.browser();
    }

    @AfterAll
    static void stop() {
        if (chromium != null) chromium.close();
        if (server != null) server.close();
    }

    /** A page that records console errors and uncaught exceptions, which must stay empty. */
    static Page open(BrowserContext context, List<String> errors) {
        Page page = context.newPage();
        page.setDefaultTimeout(30_000);
        page.onConsoleMessage(m -> {
            if (m.type().equals("error")) errors.add(m.text() + " @ " + m.location());
        });
        page.onPageError(e -> errors.add("uncaught: " + e));
        return page;
    }

    static BrowserContext desktop(String storageState) {
        var options = new Browser.NewContextOptions().setViewportSize(1280, 800);
        if (storageState != null) options.setStorageState(storageState);
        return browser.newContext(options);
    }

    static BrowserContext phone(String storageState) {
        return browser.newContext(new Browser.NewContextOptions().setViewportSize(390, 844).setIsMobile(true)
                .setHasTouch(true).setDeviceScaleFactor(2).setStorageState(storageState));
    }

    static void signUp(Page page, String username) {
        page.navigate(server.base + "/signup");
        page.fill("#username", username);
        page.fill("#email", username + "@example.org");
        page.fill("#password", "correct horse battery");
        page.click("#auth-form button[type=submit]");
        page.waitForURL(server.base + "/");
        assertThat(page.textContent(".account .user")).isEqualTo(username);
    }

    static void shot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + ".png")).setFullPage(false));
    }

    /**
     * Polls a JavaScript condition from outside the page ({@link PageConditions}), with the
     * player's state in the failure message.
     */
    static void waitUntil(Page page, String condition) {
        PageConditions.waitUntil(page, condition, Duration.ofSeconds(30), PLAYER_STATE);
    }

    private static final String PLAYER_STATE = """
            () => { const v = document.getElementById('video'); const p = document.getElementById('player');
              if (!v) return 'no video element';
              const b = []; for (let i = 0; i < v.buffered.length; i++) b.push(v.buffered.start(i).toFixed(1) + '-' + v.buffered.end(i).toFixed(1));
              return JSON.stringify({ state: p && p.dataset.state, engine: p && p.dataset.engine, t: v.currentTime, paused: v.paused,
                readyState: v.readyState, networkState: v.networkState, error: v.error && v.error.message, buffered: b,
                height: v.videoHeight, playerError: document.getElementById('player-error')?.textContent }); }""";

    static double number(Page page, String expression) {
        return ((Number) page.evaluate(expression)).doubleValue();
    }

    @Test
    @Order(1)
    void aCreatorSignsUpUploadsAndTheVideoPlays() throws Exception {
        List<String> errors = new CopyOnWriteArrayList<>();
        alice = desktop(null);
        Page page = open(alice, errors);
        signUp(page, "alice");

        page.navigate(server.base + "/upload");
        shot(page, "upload-desktop");
        Path clip = server.clip(dir, "test-pattern.mp4", 640, 480, 12);
        page.setInputFiles("#file", clip);
        assertThat(page.inputValue("#title")).isEqualTo("test-pattern"); // suggested from the file name
        page.fill("#title", "Test pattern in the browser");
        page.fill("#description", "Bars, a tone, and <b>no markup</b>.");
        page.click("#start");

        page.waitForSelector("#upload-progress[aria-valuenow='100']");
        assertThat(page.textContent("#upload-percent")).isEqualTo("100 %");
        page.waitForSelector("#processing-panel", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE));
        page.waitForSelector("#watch-link", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE)
                .setTimeout(PROCESSING.toMillis()));
        String href = page.getAttribute("#watch-link", "href");
        videoId = href.substring("/watch/".length());
        assertThat(Integer.parseInt(page.getAttribute("#processing-progress", "aria-valuenow"))).isGreaterThan(0);

        page.click("#watch-link");
        page.waitForURL("**/watch/" + videoId);
        assertThat(page.title()).isEqualTo("Test pattern in the browser · Kinora");
        assertThat(page.getAttribute("meta[property='og:title']", "content")).isEqualTo("Test pattern in the browser");
        assertThat(page.textContent("#video-description")).isEqualTo("Bars, a tone, and <b>no markup</b>."); // shown as text
        waitUntil(page, "document.getElementById('video').currentTime > 3");
        assertThat(page.getAttribute("#player", "data-engine")).isEqualTo("hls.js");

        // Every rung is offered; forcing one changes the picture's height.
        server.awaitVideo(videoId, null, PROCESSING, v -> v.get("progress").asInt() == 100);
        page.reload();
        waitUntil(page, "document.getElementById('video').currentTime > 0.5");
        List<String> qualities = new ArrayList<>(page.locator("#quality option").allTextContents());
        assertThat(qualities).contains("480p", "360p", "240p");
        page.selectOption("#quality", new SelectOption().setLabel("240p"));
        waitUntil(page, "document.getElementById('video').videoHeight === 240");
        page.selectOption("#quality", new SelectOption().setLabel("480p"));
        waitUntil(page, "document.getElementById('video').videoHeight === 480");

        // Keyboard: m mutes, → skips ahead 5 s, space pauses.
        page.keyboard().press("m");
        assertThat(page.evaluate("document.getElementById('video').muted")).isEqualTo(true);
        page.keyboard().press("m");
        assertThat(page.evaluate("document.getElementById('video').muted")).isEqualTo(false);
        page.evaluate("document.getElementById('video').currentTime = 1");
        page.keyboard().press("ArrowRight");
        assertThat(number(page, "document.getElementById('video').currentTime")).isGreaterThanOrEqualTo(5.9);
        page.keyboard().press(" ");
        waitUntil(page, "document.getElementById('video').paused");
        page.selectOption("#speed", "1.5");
        assertThat(number(page, "document.getElementById('video').playbackRate")).isEqualTo(1.5);

        // Storyboard thumbnails when hovering the seek bar.
        page.waitForSelector("#player[data-storyboard='ready']", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.ATTACHED));
        var seek = page.locator("#seek-bar").boundingBox();
        page.mouse().move(seek.x + 5, seek.y + seek.height / 2);
        page.mouse().move(seek.x + seek.width * 0.75, seek.y + seek.height / 2, new com.microsoft.playwright.Mouse.MoveOptions().setSteps(4));
        page.waitForSelector("#storyboard", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE));
        assertThat((String) page.evaluate("document.querySelector('.storyboard-image').style.backgroundImage")).contains("sprite_0.jpg");
        shot(page, "watch-desktop");

        // DASH mode plays too, through dash.js.
        page.navigate(server.base + "/watch/" + videoId + "?player=dash");
        waitUntil(page, "document.getElementById('video').currentTime > 2");
        assertThat(page.getAttribute("#player", "data-engine")).isEqualTo("dash.js");
        page.selectOption("#quality", new SelectOption().setLabel("240p"));
        waitUntil(page, "document.getElementById('video').videoHeight === 240");

        // The embed is a bare player; oEmbed describes it.
        page.navigate(server.base + "/embed/" + videoId);
        waitUntil(page, "document.getElementById('video').currentTime > 1");
        assertThat(page.locator(".topbar").count()).isZero();
        String watchUrl = server.base + "/watch/" + videoId;
        JsonNode oembed = TestServer.JSON.readTree(server.get("/oembed?format=json&url="
                + URLEncoder.encode(watchUrl, StandardCharsets.UTF_8), null).body());
        assertThat(oembed.get("type").asText()).isEqualTo("video");
        assertThat(oembed.get("html").asText()).contains("/embed/" + videoId).startsWith("<iframe");
        assertThat(oembed.get("author_name").asText()).isEqualTo("alice");

        // The home grid shows it with its poster, duration and channel.
        page.navigate(server.base + "/");
        page.waitForSelector(".video-card");
        assertThat(page.textContent(".video-card h2")).isEqualTo("Test pattern in the browser");
        assertThat(page.textContent(".video-card .duration")).isEqualTo("0:12");
        assertThat(page.textContent(".video-card .channel")).isEqualTo("alice");
        waitUntil(page, "document.querySelector('.video-card img').naturalWidth > 0");
        shot(page, "home-desktop");

        // Phone width: the same pages, laid out for a small screen.
        BrowserContext mobile = phone(alice.storageState());
        Page small = open(mobile, errors);
        small.navigate(server.base + "/");
        waitUntil(small, "document.querySelector('.video-card img') && document.querySelector('.video-card img').naturalWidth > 0");
        shot(small, "home-phone");
        small.navigate(server.base + "/upload");
        shot(small, "upload-phone");
        small.navigate(server.base + "/watch/" + videoId);
        waitUntil(small, "document.getElementById('video').currentTime > 1");
        assertThat(number(small, "document.documentElement.scrollWidth")).as("no sideways scrolling").isLessThanOrEqualTo(390);
        shot(small, "watch-phone");
        mobile.close();

        assertThat(errors).as("console errors").isEmpty();
    }

    @Test
    @Order(2)
    void aPrivateVideoIsInvisibleToEveryoneButItsOwner() throws Exception {
        List<String> errors = new CopyOnWriteArrayList<>();
        Page page = open(alice, errors);
        page.navigate(server.base + "/studio");
        page.click("[data-video-id='" + videoId + "'] button:has-text('Edit')");
        page.selectOption("#edit-privacy", "private");
        page.click("#edit-save");
        page.waitForSelector("[data-video-id='" + videoId + "'] .badge:has-text('private')");
        page.navigate(server.base + "/watch/" + videoId);
        waitUntil(page, "document.getElementById('video').currentTime > 1"); // the owner still watches it

        BrowserContext other = desktop(null);
        Page bob = open(other, errors);
        signUp(bob, "bob");
        bob.waitForSelector("#feed-empty", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE));
        assertThat(bob.locator(".video-card").count()).isZero();
        var watch = bob.navigate(server.base + "/watch/" + videoId);
        assertThat(watch.status()).isEqualTo(404);
        assertThat(bob.textContent("h1")).isEqualTo("This isn't available");
        assertThat(bob.content()).doesNotContain("Test pattern in the browser");
        assertThat(bob.navigate(server.base + "/embed/" + videoId).status()).isEqualTo(404);
        HttpResponse<String> api = server.get("/api/v1/videos/" + videoId, null);
        assertThat(api.statusCode()).isEqualTo(404);
        other.close();
        // The browser logs the 404 status of the two refused pages themselves; nothing else may fail.
        assertThat(errors).as("console errors").allMatch(e -> e.contains("status of 404")
                && (e.contains("/watch/" + videoId + ":") || e.contains("/embed/" + videoId + ":")));
        assertThat(errors).hasSize(2);
    }

    @Test
    @Order(3)
    void aFileThatIsNotAVideoShowsTheServersReasonAndCanBeDeleted() throws Exception {
        List<String> errors = new CopyOnWriteArrayList<>();
        Page page = open(alice, errors);
        page.navigate(server.base + "/upload");
        Path notVideo = Files.writeString(dir.resolve("holiday.mp4"), "These are my holiday notes, not a video.\n".repeat(50));
        page.setInputFiles("#file", notVideo);
        page.click("#start");
        page.waitForSelector("#processing-error", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE)
                .setTimeout(PROCESSING.toMillis()));
        assertThat(page.textContent("#processing-error")).contains("not a video");
        assertThat(page.textContent("#processing-label")).isEqualTo("Processing failed");

        page.navigate(server.base + "/studio");
        var row = page.locator(".studio-item", new Page.LocatorOptions().setHasText("holiday"));
        assertThat(row.locator(".reason").textContent()).contains("not a video");
        row.locator("button:has-text('Delete')").click();
        page.waitForSelector("#delete-dialog[open]");
        page.click("#delete-confirm");
        page.waitForSelector(".studio-item:has-text('holiday')", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.DETACHED));
        assertThat(page.locator(".studio-item").count()).isEqualTo(1);
        assertThat(errors).as("console errors").isEmpty();
    }

    @Test
    @Order(4)
    void anUploadCutOffByAReloadResumesWithoutStartingOver() throws Exception {
        Page page = alice.newPage();
        page.onDialog(d -> d.accept()); // "leave the page?" while uploading
        AtomicInteger creations = new AtomicInteger();
        page.onRequest(r -> {
            if (r.method().equals("POST") && r.url().endsWith("/api/v1/uploads")) creations.incrementAndGet();
        });
        // Every chunk fails: the upload is created, then cut off.
        page.route("**/api/v1/uploads/*", route -> {
            if (route.request().method().equals("PATCH")) route.abort();
            else route.resume();
        });
        Path clip = server.clip(dir, "resumed.mp4", 320, 240, 4);
        page.navigate(server.base + "/upload");
        page.setInputFiles("#file", clip);
        page.click("#start");
        waitUntil(page, "Object.keys(localStorage).some(k => k.startsWith('tus::'))");
        assertThat(creations.get()).isEqualTo(1);

        page.reload(); // while chunks still fail, so the upload cannot finish on its own first
        page.unrouteAll();
        page.waitForSelector("#resume-notice", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE));
        assertThat(page.textContent("#resume-name")).isEqualTo("resumed.mp4");
        page.setInputFiles("#file", clip);
        page.click("#start");
        page.waitForSelector("#processing-panel", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE));
        assertThat(creations.get()).as("the second attempt resumed the same tus upload").isEqualTo(1);

        // Straight to the watch page while it is still processing: it shows progress, then plays.
        page.navigate(server.base + page.getAttribute("#watch-link", "href"));
        String state = page.getAttribute("#player", "data-state");
        assertThat(state).isIn("processing", "paused", "playing");
        waitUntil(page, "document.getElementById('video').currentTime > 1");
        assertThat(page.isVisible("#player-processing")).isFalse();

        String token = server.register("carol"); // any token reads alice's public list
        JsonNode own = TestServer.JSON.readTree(server.get("/api/v1/videos?limit=100", token).body()).get("items");
        long resumed = 0;
        for (JsonNode v : own) if (v.get("title").asText().equals("resumed")) resumed++;
        assertThat(resumed).as("one video, not two").isEqualTo(1);
    }

    @Test
    @Order(5)
    void theSearchBoxSuggestsAndFindsAndTrendingLoads() {
        List<String> errors = new CopyOnWriteArrayList<>();
        Page page = open(alice, errors);
        page.navigate(server.base + "/");
        page.fill("#search-q", "resum");
        waitUntil(page, "document.querySelectorAll('#search-suggestions option').length > 0");
        assertThat(page.getAttribute("#search-suggestions option", "value")).containsIgnoringCase("resum");
        page.press("#search-q", "Enter");
        page.waitForURL("**/search?q=resum");
        page.waitForSelector(".result");
        assertThat(page.textContent(".result h2")).isEqualTo("resumed");
        assertThat(page.inputValue("#search-q")).isEqualTo("resum");
        page.selectOption("#f-sort", "newest");
        page.waitForURL("**/search?q=resum&sort=newest**");
        page.waitForSelector(".result");
        shot(page, "search-desktop");

        page.click(".result h2 a");
        page.waitForURL("**/watch/**");
        waitUntil(page, "document.getElementById('video').currentTime > 0.5");

        page.navigate(server.base + "/trending");
        waitUntil(page, "document.getElementById('feed-status').textContent === ''");
        assertThat(errors).as("console errors").isEmpty();
    }

    @Test
    @Order(6)
    void aViewerSubscribesRatesCommentsSavesResumesAndHearsOfAReplyLive() throws Exception {
        long started = System.nanoTime();
        List<String> errors = new CopyOnWriteArrayList<>();
        List<String> dialogs = new CopyOnWriteArrayList<>();

        // alice uploads a short clip through the upload page.
        if (alice == null) { // this test alone
            alice = desktop(null);
            signUp(open(alice, errors), "alice");
        }
        Page creator = open(alice, errors);
        creator.navigate(server.base + "/upload");
        creator.setInputFiles("#file", server.clip(dir, "channel-clip.mp4", 320, 240, 10));
        creator.fill("#title", "Ten seconds of bars");
        creator.click("#start");
        try {
            creator.waitForSelector("#watch-link", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE)
                    .setTimeout(PROCESSING.toMillis()));
        } catch (RuntimeException e) {
            throw new AssertionError("upload did not finish: " + creator.textContent("#upload-label") + " / "
                    + creator.textContent("#form-error") + " / " + creator.textContent("#processing-error") + "; errors " + errors, e);
        }
        String clipId = creator.getAttribute("#watch-link", "href").substring("/watch/".length());
        server.awaitVideo(clipId, null, PROCESSING, v -> v.get("status").asText().equals("ready"));

        // ben signs up, opens alice's channel and subscribes.
        BrowserContext benContext = desktop(null);
        Page ben = open(benContext, errors);
        ben.onDialog(d -> { dialogs.add(d.message()); d.dismiss(); });
        signUp(ben, "ben");
        ben.navigate(server.base + "/channel/@alice");
        assertThat(ben.textContent("#channel-title")).isEqualTo("alice");
        assertThat(ben.textContent("#channel-subs")).isEqualTo("0 subscribers");
        ben.waitForSelector(".video-card[data-video-id='" + clipId + "']");
        ben.click("#subscribe");
        ben.waitForSelector("#subscribe[aria-pressed='true']");
        assertThat(ben.textContent("#subscribe")).isEqualTo("Subscribed");
        assertThat(ben.textContent("#channel-subs")).isEqualTo("1 subscriber");
        waitUntil(ben, "document.querySelector('.video-card img') && document.querySelector('.video-card img').naturalWidth > 0");
        shot(ben, "channel-desktop");

        // From the channel to the video: subscribed there too; like, switch to dislike and back.
        ben.click(".video-card[data-video-id='" + clipId + "'] h2 a");
        ben.waitForURL("**/watch/" + clipId);
        assertThat(ben.getAttribute("#subscribe", "aria-pressed")).isEqualTo("true");
        assertThat(ben.textContent("#channel-subs")).isEqualTo("1 subscriber");
        assertThat(ben.getAttribute("#channel-link", "href")).isEqualTo("/channel/@alice");
        ben.click("#like");
        ben.waitForSelector("#like[aria-pressed='true']");
        assertThat(ben.textContent("#like-count")).isEqualTo("1");
        ben.click("#dislike");
        ben.waitForSelector("#dislike[aria-pressed='true']");
        assertThat(ben.textContent("#like-count") + "/" + ben.textContent("#dislike-count")).isEqualTo("0/1");
        assertThat(ben.getAttribute("#like", "aria-pressed")).isEqualTo("false");
        ben.click("#like");
        ben.waitForSelector("#like[aria-pressed='true']");
        assertThat(ben.textContent("#like-count") + "/" + ben.textContent("#dislike-count")).isEqualTo("1/0");

        // A comment that looks like markup stays text.
        String hostile = "<img src=x onerror=alert(1)> nice bars";
        ben.click("#comment-text");
        ben.fill("#comment-text", hostile);
        ben.click("#comment-submit");
        ben.waitForSelector("#comment-list .comment");
        assertThat(ben.textContent("#comment-list .comment .comment-text")).isEqualTo(hostile);
        assertThat(ben.locator("#comment-list img[src='x']").count()).isZero();
        assertThat(ben.textContent("#comments-title")).isEqualTo("1 comment");
        String commentId = ben.getAttribute("#comment-list .comment", "data-comment-id");

        // alice, in her own browser, sees the comment (and its notification) and replies; ben's open
        // page hears of it over SSE without a reload.
        ben.evaluate("() => { window.kinoraSamePage = true; }");
        double unreadBefore = number(ben, "Number(document.getElementById('bell-button').dataset.unread || 0)");
        creator.navigate(server.base + "/watch/" + clipId);
        creator.waitForSelector("#comment-" + commentId);
        assertThat(creator.textContent("#comment-" + commentId + " .comment-text")).isEqualTo(hostile);
        creator.click("#bell-button");
        var commentNote = creator.locator(".bell-item", new Page.LocatorOptions().setHasText("New comment on \"Ten seconds of bars\""));
        commentNote.waitFor();
        assertThat(commentNote.textContent()).contains(hostile); // the snippet, as text
        assertThat(creator.locator("#bell-list img[src='x']").count()).isZero();
        creator.click("#comment-" + commentId + " button:has-text('Reply')");
        creator.fill("#comment-" + commentId + " .reply-form textarea", "Thanks, Ben!");
        creator.click("#comment-" + commentId + " .reply-form button[type=submit]");
        creator.waitForSelector("#comment-" + commentId + " .replies .comment-text:has-text('Thanks, Ben!')");
        String unread = "Number(document.getElementById('bell-button').dataset.unread)";
        waitUntil(ben, unread + " >= " + ((long) unreadBefore + 1));
        long unreadWithReply = (long) number(ben, unread);
        assertThat(ben.evaluate("() => window.kinoraSamePage")).as("no reload").isEqualTo(true);
        assertThat(ben.isVisible("#bell-count")).isTrue();
        ben.click("#bell-button");
        var replyNote = ben.locator(".bell-item", new Page.LocatorOptions().setHasText("Reply to your comment"));
        replyNote.waitFor();
        assertThat(replyNote.textContent()).contains("Thanks, Ben!");
        replyNote.locator("a").click();
        ben.waitForURL("**/watch/" + clipId + "?comment=*");
        // The notification opens the thread and marks the reply.
        ben.waitForSelector("#comment-" + commentId + " .replies .comment.highlight .comment-text:has-text('Thanks, Ben!')");
        waitUntil(ben, unread + " === " + (unreadWithReply - 1)); // opening it marked it read
        assertThat(ben.textContent("#comment-" + commentId + " .replies .comment-author")).isEqualTo("alice");
        shot(ben, "watch-comments-desktop");
        ben.locator("#comments").screenshot(new com.microsoft.playwright.Locator.ScreenshotOptions()
                .setPath(SHOTS.resolve("watch-comments-section.png")));

        // Watch later, and it is on the playlists page.
        ben.click("#save-later");
        ben.waitForSelector("#save-later[aria-pressed='true']");
        ben.click("#add-to-playlist"); // and into a new playlist of his own
        ben.waitForSelector("#playlist-dialog[open]");
        ben.fill("#new-playlist-title", "Bars to keep");
        ben.click("#new-playlist-create");
        ben.waitForSelector("#playlist-choices li:has-text('Bars to keep') input:checked");
        ben.click("#playlist-dialog button[type=submit]");
        ben.navigate(server.base + "/playlists");
        ben.waitForSelector(".playlist-card[data-kind='watch_later']");
        assertThat(ben.textContent(".playlist-card[data-kind='watch_later'] .playlist-count")).isEqualTo("1 video");
        assertThat(ben.textContent(".playlist-card:has-text('Bars to keep') .playlist-count")).isEqualTo("1 video");
        shot(ben, "playlists-desktop");
        ben.click(".playlist-card[data-kind='watch_later'] h2 a");
        ben.waitForSelector(".playlist-item[data-video-id='" + clipId + "']");
        shot(ben, "playlist-desktop");
        ben.click("#play-all"); // playlist playback: the watch page knows the list and what comes next
        ben.waitForURL("**/watch/" + clipId + "?list=*");
        ben.waitForSelector("#playlist-panel");
        assertThat(ben.textContent("#playlist-panel-next")).isEqualTo("Last video in the playlist");

        // Halfway through, leave; coming back resumes there.
        ben.navigate(server.base + "/watch/" + clipId);
        waitUntil(ben, "document.getElementById('video').currentTime > 4.5");
        ben.navigate(server.base + "/history"); // leaving the page reports the position (counted within ~1 s)
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonNode seen;
        do {
            seen = TestServer.JSON.readTree(benContext.request().get(server.base + "/api/v1/videos/" + clipId).text());
        } while (seen.path("resume_position_seconds").asDouble(0) < 4 && System.nanoTime() < deadline && sleep(200));
        assertThat(seen.path("resume_position_seconds").asDouble(0)).isGreaterThanOrEqualTo(4);
        ben.reload(); // the history page now shows how far it got
        ben.waitForSelector(".video-card[data-video-id='" + clipId + "'] .watched");
        shot(ben, "history-desktop");
        ben.navigate(server.base + "/watch/" + clipId);
        waitUntil(ben, "document.getElementById('video').currentTime > 0");
        assertThat(number(ben, "document.getElementById('video').currentTime")).as("resumed, not from 0").isGreaterThanOrEqualTo(3);
        assertThat(ben.textContent("#resume-pill")).startsWith("Resuming from 0:0");
        ben.navigate(server.base + "/feed/subscriptions");
        ben.waitForSelector("#grid .video-card[data-video-id='" + clipId + "']");
        assertThat(ben.textContent(".channel-chip span:not(.avatar)")).isEqualTo("alice");
        shot(ben, "subscriptions-desktop");
        ben.navigate(server.base + "/");
        ben.waitForSelector("#continue .video-card[data-video-id='" + clipId + "']");
        shot(ben, "home-continue-desktop");

        // A phone: the channel and watch pages fit 390 px.
        BrowserContext mobile = phone(benContext.storageState());
        Page small = open(mobile, errors);
        small.navigate(server.base + "/channel/@alice");
        small.waitForSelector(".video-card");
        assertThat(number(small, "document.documentElement.scrollWidth")).as("no sideways scrolling").isLessThanOrEqualTo(390);
        shot(small, "channel-phone");
        small.navigate(server.base + "/watch/" + clipId);
        small.waitForSelector("#comment-list .comment");
        assertThat(number(small, "document.documentElement.scrollWidth")).as("no sideways scrolling").isLessThanOrEqualTo(390);
        small.click("#bell-button");
        small.waitForSelector(".bell-item");
        assertThat(number(small, "document.documentElement.scrollWidth")).as("no sideways scrolling").isLessThanOrEqualTo(390);
        shot(small, "watch-phone-bell");
        for (String path : List.of("/playlists", "/history", "/feed/subscriptions", "/")) {
            small.navigate(server.base + path);
            small.waitForSelector(".video-card");
            assertThat(number(small, "document.documentElement.scrollWidth")).as("no sideways scrolling on " + path).isLessThanOrEqualTo(390);
        }
        shot(small, "home-phone-signed-in");
        mobile.close();
        benContext.close();

        // A visitor who is not signed in reads the comments; subscribing asks them to sign in first.
        BrowserContext visitor = desktop(null);
        Page anon = open(visitor, errors);
        anon.navigate(server.base + "/watch/" + clipId);
        anon.waitForSelector("#comment-" + commentId);
        assertThat(anon.isVisible("#comment-signin")).isTrue();
        assertThat(anon.isVisible("#comment-form")).isFalse();
        assertThat(anon.locator("#bell-button").count()).isZero();
        waitUntil(anon, "document.getElementById('video').currentTime > 0.5"); // its play events carry a session id
        assertThat((String) anon.evaluate("() => localStorage.getItem('kinora.play-session')")).matches("[A-Za-z0-9_-]{22}");
        anon.click("#subscribe");
        anon.waitForURL("**/signin?next=%2Fwatch%2F" + clipId);
        visitor.close();

        // alice customizes her channel: a new name and a picture, resized by the server.
        Path picture = dir.resolve("avatar.png");
        var image = new java.awt.image.BufferedImage(400, 300, java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 300; y++) for (int x = 0; x < 400; x++) image.setRGB(x, y, (x * 255 / 400) << 16 | (y * 255 / 300) << 8 | 0x80);
        javax.imageio.ImageIO.write(image, "png", picture.toFile());
        creator.navigate(server.base + "/channel/@alice");
        creator.click("#customize");
        creator.fill("#c-name", "Alice's <Bars>");
        creator.fill("#c-description", "Test patterns,\nevery day.");
        creator.setInputFiles("#c-avatar", picture);
        creator.click("#customize-save");
        creator.waitForSelector("#customize-dialog", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.HIDDEN));
        assertThat(creator.textContent("#channel-title")).isEqualTo("Alice's <Bars>");
        waitUntil(creator, "document.querySelector('#channel-avatar img') && document.querySelector('#channel-avatar img').naturalWidth > 0");
        creator.reload();
        assertThat(creator.title()).isEqualTo("Alice's <Bars> · Kinora");
        assertThat(creator.textContent("#channel-description")).isEqualTo("Test patterns,\nevery day.");
        waitUntil(creator, "document.querySelector('#channel-avatar img') && document.querySelector('#channel-avatar img').naturalWidth > 0");
        shot(creator, "channel-customized-desktop");

        assertThat(dialogs).as("no script from a comment ran").isEmpty();
        assertThat(errors).as("console errors").isEmpty();
        System.out.printf("engagement browser flow took %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    private static boolean sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return true;
    }
}
