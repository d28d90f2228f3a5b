package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kinora.server.PageConditions.waitUntil;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.WaitForSelectorState;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 in a real headless Chromium: a creator uploads captions (SRT) and a thumbnail and
 * types chapters in Studio; on the watch page hls.js loads the captions from the master's
 * SUBTITLES group, the CC button shows them at the right time, the choice is remembered after a
 * reload, and the chapters are marks on the seek bar and a list under the player. Screenshots
 * (desktop width) land in target/screenshots.
 */
@Timeout(300)
class StudioBrowserIT {
    @TempDir
    static Path dir;
    static TestServer server;
    static Chromium chromium;
    static Browser browser;
    static final Path SHOTS = Path.of("target/screenshots");

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

    @Test
    void aCreatorAddsCaptionsAThumbnailAndChaptersAndViewersSeeThem() throws Exception {
        List<String> errors = new CopyOnWriteArrayList<>();
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800));
        Page page = context.newPage();
        page.setDefaultTimeout(30_000);
        page.onConsoleMessage(m -> { if (m.type().equals("error")) errors.add(m.text() + " @ " + m.location()); });
        page.onPageError(e -> errors.add("uncaught: " + e));

        page.navigate(server.base + "/signup");
        page.fill("#username", "carol");
        page.fill("#email", "carol@example.org");
        page.fill("#password", "correct horse battery");
        page.click("#auth-form button[type=submit]");
        page.waitForURL(server.base + "/");
        String token = TestServer.JSON.readTree(server.post("/api/v1/auth/token",
                "{\"username\":\"carol\",\"password\":\"correct horse battery\"}", null).body()).get("access_token").asText();
        String videoId = server.upload(Files.readAllBytes(server.clip(dir, "lesson.mp4", 640, 360, 10)), token);
        server.awaitEnd(videoId, token);

        Path srt = dir.resolve("lesson.en.srt");
        Files.writeString(srt, "1\n00:00:00,500 --> 00:00:04,000\nHello from the captions\n\n2\n00:00:04,500 --> 00:00:09,000\n<i>Second</i> cue\n");
        Path picture = dir.resolve("thumb.png");
        BufferedImage image = new BufferedImage(800, 800, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(30, 120, 220));
        g.fillRect(0, 0, 800, 800);
        g.dispose();
        ImageIO.write(image, "png", picture.toFile());

        page.navigate(server.base + "/studio");
        page.click(".studio-item[data-video-id='" + videoId + "'] .tools-open");
        page.waitForSelector("#tools-dialog[open]");
        page.setInputFiles("#caption-file", srt);
        page.click("#caption-upload");
        page.waitForSelector("#tools-captions .track-list li:has-text('English (en) · 2 cues')");
        // Edit the track in place: its WebVTT loads into the editor, a changed cue is saved.
        page.click("#tools-captions .caption-edit[data-language='en']");
        waitUntil(page, "document.getElementById('caption-editor').value.includes('Second cue')"); // not waitForFunction: it evals in the page, which the CSP forbids
        page.evaluate("() => { const e = document.getElementById('caption-editor'); e.value = e.value.replace('Second cue', 'Second cue, edited'); }");
        page.click("#caption-editor-save");
        page.waitForSelector(".toast:has-text('Captions saved.')", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.ATTACHED));
        page.waitForSelector("#tools-captions .caption-editor", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.HIDDEN));
        assertThat(server.get("/api/v1/videos/" + videoId + "/captions/en", token).body()).contains("Second cue, edited")
                .contains("Hello from the captions");
        page.fill("#chapters-text", "0:00 Welcome\n0:03 The middle\n0:07 Wrapping up");
        page.click("#chapters-save");
        page.waitForSelector(".toast:has-text('Chapters saved.')", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.ATTACHED));
        page.setInputFiles("#thumbnail-file", picture);
        page.click("#thumbnail-upload");
        page.waitForSelector(".toast:has-text('Thumbnail uploaded.')", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.ATTACHED));
        page.evaluate("() => { document.getElementById('tools-dialog').scrollTop = 0; }");
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("studio-captions-desktop.png")));
        page.click("#tools-close");

        page.navigate(server.base + "/watch/" + videoId);
        waitUntil(page, "document.getElementById('video').currentTime > 0.3");
        assertThat(page.getAttribute("#player", "data-engine")).isEqualTo("hls.js");
        // hls.js found the SUBTITLES group in the master playlist.
        waitUntil(page, "window.kinoraPlayer.hls.subtitleTracks.length === 1");
        assertThat(page.evaluate("window.kinoraPlayer.hls.subtitleTracks[0].lang")).isEqualTo("en");
        page.click("#cc");
        waitUntil(page, "window.kinoraPlayer.hls.subtitleTrack === 0");
        // hls.js fetched the WebVTT segment and its cues sit at the times the file gives.
        waitUntil(page, "[...document.getElementById('video').textTracks].some(t => t.mode === 'hidden' && t.cues && t.cues.length === 2)");
        page.evaluate("() => { const v = document.getElementById('video'); v.pause(); v.currentTime = 2; }");
        waitUntil(page, "[...document.getElementById('video').textTracks].some(t => t.mode === 'hidden' && t.activeCues"
                + " && [...t.activeCues].some(c => c.text === 'Hello from the captions'))");
        Object start = page.evaluate("[...document.getElementById('video').textTracks].find(t => t.mode === 'hidden').cues[0].startTime");
        assertThat(((Number) start).doubleValue()).as("cue start as in the file").isBetween(0.4, 0.6);
        cueIsDrawnAboveTheControls(page);

        // Chapters: two marks on the seek bar (the first chapter starts at the bar's start), a list under the player.
        assertThat(page.locator("#seek .chapter-mark").count()).isEqualTo(2);
        assertThat(page.locator("#seek .chapter-mark").first().getAttribute("title")).isEqualTo("The middle");
        assertThat(page.locator("#chapters .chapter-link").allTextContents())
                .containsExactly("0:00 Welcome", "0:03 The middle", "0:07 Wrapping up");
        assertThat(page.textContent("#chapter-current")).contains("Welcome");
        assertThat(page.getAttribute("#video", "poster")).matches(".*/thumbs/poster\\.[0-9a-z]+\\.jpg");
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("watch-captions-chapters-desktop.png")));

        page.click("#chapters .chapter-link:has-text('Wrapping up')");
        waitUntil(page, "document.getElementById('video').currentTime >= 7");
        waitUntil(page, "document.getElementById('chapter-current').textContent.includes('Wrapping up')");

        // The choice is remembered.
        page.reload();
        waitUntil(page, "document.getElementById('player').dataset.captions === 'en'");
        waitUntil(page, "window.kinoraPlayer.hls.subtitleTrack === 0");

        // dash.js: the MPD's text AdaptationSet (or the API's WebVTT) shows the same cue.
        page.navigate(server.base + "/watch/" + videoId + "?player=dash");
        waitUntil(page, "document.getElementById('video').currentTime > 0.3");
        assertThat(page.getAttribute("#player", "data-engine")).isEqualTo("dash.js");
        waitUntil(page, "document.getElementById('player').dataset.captions === 'en'");
        page.evaluate("() => { const v = document.getElementById('video'); v.pause(); v.currentTime = 2; }");
        waitUntil(page, "[...document.getElementById('video').textTracks].some(t => t.mode === 'hidden' && t.activeCues"
                + " && [...t.activeCues].some(c => c.text === 'Hello from the captions'))");
        cueIsDrawnAboveTheControls(page);
        assertThat(errors).isEmpty();
        context.close();
    }

    /**
     * The page draws the cue (the track is 'hidden', so no browser draws it under the control bar,
     * as Firefox did): in the cue box, whose bottom is at or above the top of the visible controls.
     */
    static void cueIsDrawnAboveTheControls(Page page) {
        waitUntil(page, "document.getElementById('cue-box').textContent === 'Hello from the captions'");
        assertThat(page.evaluate("[...document.getElementById('video').textTracks].some(t => t.mode === 'showing')")).isEqualTo(false);
        Object gap = page.evaluate("(() => { const cue = document.querySelector('#cue-box .cue').getBoundingClientRect();"
                + " const row = document.querySelector('#player .control-row').getBoundingClientRect();"
                + " return row.top - cue.bottom; })()");
        assertThat(((Number) gap).doubleValue()).as("px between the cue's bottom and the control row's top").isGreaterThanOrEqualTo(0);
        assertThat(page.evaluate("getComputedStyle(document.querySelector('#player .controls')).opacity")).isEqualTo("1");
    }
}
