package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live watched in Chromium: Studio shows the stream key, ffmpeg publishes with it over RTMP,
 * the live page plays it through hls.js in low-latency mode, and the latency is measured two
 * ways: hls.js's own {@code latency} (distance to the live edge) and the wall clock against the
 * program date time of the frame on screen ({@code hls.playingDate}): glass to glass, since the
 * program date time is when the frame reached the ingest. Figures are printed and written to
 * target/live-latency.txt. The live was scheduled ahead in Studio: its page, opened before the
 * stream, shows the countdown and switches to the player by itself. Then chat between two
 * browsers, and the streamer deleting a message.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LiveBrowserIT {
    @TempDir
    static Path dir;
    static TestServer server;
    static Chromium chromium;
    static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        Chromium.executable(); // before anything starts: fail at once, saying how to install it
        server = new TestServer(dir.resolve("data"), Map.of("live.transcoded-rungs", "0", "live.segment-seconds", "1"));
        chromium = Chromium.launch();
        browser = chromium.browser();
    }

    @AfterAll
    static void stop() {
        if (chromium != null) chromium.close();
        if (server != null) server.close();
    }

    static double number(Page page, String expression) {
        Object v = page.evaluate(expression);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    static void waitUntil(Page page, String condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Boolean.TRUE.equals(page.evaluate(condition))) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for: " + condition);
            page.waitForTimeout(100);
        }
    }

    @Test
    void studioShowsTheKeyAndTheLivePlaysInLowLatencyModeWithinSecondsOfRealTime() throws Exception {
        List<String> errors = new CopyOnWriteArrayList<>();
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800));
        Page page = context.newPage();
        page.setDefaultTimeout(30_000);
        page.onPageError(e -> errors.add("uncaught: " + e));
        page.navigate(server.base + "/signup");
        page.fill("#username", "stella");
        page.fill("#email", "stella@example.org");
        page.fill("#password", "correct horse battery");
        page.click("#auth-form button[type=submit]");
        page.waitForURL(server.base + "/");

        // Studio's Go live panel: the server URL and the key OBS needs.
        page.navigate(server.base + "/studio");
        page.waitForSelector("#studio-live input[aria-label='Stream key']");
        String key = (String) page.evaluate("() => document.querySelector(\"#studio-live input[aria-label='Stream key']\").value");
        String url = (String) page.evaluate("() => document.querySelector(\"#studio-live input[aria-label='Server']\").value");
        assertThat(key).startsWith("live_");
        assertThat(url).startsWith("rtmp://127.0.0.1:").endsWith("/live");

        // Studio schedules a live ahead; its page is "upcoming" with a countdown before the stream starts.
        page.waitForSelector("#schedule-submit:not([disabled])"); // the list of scheduled lives has loaded
        page.fill("#schedule-title", "Launch party");
        page.fill("#schedule-description", "Doors at eight");
        page.fill("#schedule-starts", java.time.LocalDateTime.now().plusMinutes(10)
                .format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm")));
        page.click("#schedule-submit");
        page.waitForSelector("#studio-schedule-list li:has-text('Launch party')");
        String scheduledId = page.getAttribute("#studio-schedule-list li", "data-id");
        Page watch = context.newPage();
        watch.setDefaultTimeout(30_000);
        watch.onPageError(e -> errors.add("uncaught: " + e));
        watch.navigate(server.base + "/live/" + scheduledId);
        watch.waitForSelector("#live-countdown:has-text('Starts in')");
        assertThat(watch.textContent("#live-state")).isEqualTo("Upcoming");
        assertThat(watch.textContent("#live-description")).isEqualTo("Doors at eight");
        assertThat(watch.isVisible("#live-video")).isFalse();
        watch.evaluate("() => { window.samePage = true; }"); // gone if the page reloaded

        Process ffmpeg = LiveIT.publisher(server, url + "/" + key, 90).redirectErrorStream(true)
                .redirectOutput(dir.resolve("publisher.log").toFile()).start();
        try {
            String liveId = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (liveId == null && System.nanoTime() < deadline) {
                var items = TestServer.JSON.readTree(server.get("/api/v1/lives", null).body()).get("items");
                if (!items.isEmpty()) liveId = items.get(0).get("id").asText();
                else Thread.sleep(200);
            }
            assertThat(liveId).as("the live started").isNotNull();
            assertThat(liveId).as("the scheduled live is the one that started").isEqualTo(scheduledId);

            // The upcoming page switches to the player by itself, without a reload.
            waitUntil(watch, "() => window.samePage === true && !!window.kinoraLive && window.kinoraLive.video.currentTime > 2"
                    + " && !window.kinoraLive.video.paused", Duration.ofSeconds(40));
            assertThat(watch.isVisible("#live-countdown")).isFalse();
            assertThat((Boolean) watch.evaluate("() => window.kinoraLive.hls.config.lowLatencyMode")).isTrue();
            assertThat((Boolean) watch.evaluate("() => window.kinoraLive.hls.levels.length > 0 && !!window.kinoraLive.hls.latestLevelDetails?.partList"))
                    .as("hls.js sees the parts").isTrue();
            // Let the player settle at its target latency, then sample.
            watch.waitForTimeout(4000);
            List<Double> latency = new ArrayList<>();
            List<Double> glass = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                latency.add(number(watch, "() => window.kinoraLive.hls.latency"));
                glass.add(number(watch, "() => window.kinoraLive.hls.playingDate ? (Date.now() - window.kinoraLive.hls.playingDate.getTime()) / 1000 : NaN"));
                watch.waitForTimeout(500);
            }
            double meanLatency = latency.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            double meanGlass = glass.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            double maxGlass = glass.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
            String report = String.format(java.util.Locale.ROOT,
                    "hls.js latency mean %.2f s (samples %s); glass-to-glass (wall clock - program date time on screen) mean %.2f s, max %.2f s%n",
                    meanLatency, latency, meanGlass, maxGlass);
            System.out.print("LIVE LATENCY: " + report);
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "live-latency.txt"), report);
            watch.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", "live.png")));
            assertThat(meanLatency).as(report).isGreaterThan(0).isLessThan(5);
            assertThat(meanGlass).as(report).isGreaterThan(0).isLessThan(5);
            assertThat(watch.textContent("#live-state")).isEqualTo("LIVE");

            // Chat between two browsers: a second person on the live page hears the streamer at once.
            BrowserContext other = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800));
            Page viewer = other.newPage();
            viewer.setDefaultTimeout(30_000);
            viewer.onPageError(e -> errors.add("uncaught: " + e));
            viewer.navigate(server.base + "/signup");
            viewer.fill("#username", "victor");
            viewer.fill("#email", "victor@example.org");
            viewer.fill("#password", "correct horse battery");
            viewer.click("#auth-form button[type=submit]");
            viewer.waitForURL(server.base + "/");
            viewer.navigate(server.base + "/live/" + liveId);
            viewer.waitForSelector("#live-chat-form:not([hidden])");
            watch.waitForSelector("#live-chat-form:not([hidden])");
            watch.waitForTimeout(500); // both EventSources open
            watch.fill("#live-chat-input", "hello from the streamer");
            watch.click("#live-chat-form button[type=submit]");
            viewer.waitForSelector("#live-chat-list li:has-text('hello from the streamer')");
            viewer.fill("#live-chat-input", "hi back");
            viewer.click("#live-chat-form button[type=submit]");
            watch.waitForSelector("#live-chat-list li:has-text('hi back')");
            // The streamer deletes the viewer's message from the list; it disappears for the viewer too.
            watch.click("#live-chat-list li:has-text('hi back') button:has-text('Delete')");
            viewer.waitForSelector("#live-chat-list li:has-text('hi back')", new Page.WaitForSelectorOptions()
                    .setState(com.microsoft.playwright.options.WaitForSelectorState.DETACHED));
            other.close();

            // Studio shows the live and the ingest's health.
            page.navigate(server.base + "/studio");
            page.waitForSelector("#live-health");
            assertThat(page.textContent("#studio-live")).contains("LIVE", "fps");
            assertThat(errors).isEmpty();
        } finally {
            ffmpeg.destroyForcibly();
        }
    }
}
