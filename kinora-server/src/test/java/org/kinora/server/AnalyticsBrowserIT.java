package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Studio analytics page in a real headless Chromium against a real Kinora, after scripted
 * plays: Studio links to it, it draws the views, retention and realtime charts (uPlot from
 * /static/vendor), shows the figures and their comparison, answers a hover on the retention chart
 * with the point's value, and switches range. The screenshots at desktop width are
 * target/screenshots/analytics-desktop.png and analytics-retention-hover.png (the hovered chart).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class AnalyticsBrowserIT {
    @TempDir
    static Path dir;
    static TestServer server;
    static Chromium chromium;
    static Browser browser;
    static final Path SHOTS = Path.of("target/screenshots");
    static final AtomicReference<Instant> now = new AtomicReference<>(Instant.now().truncatedTo(ChronoUnit.SECONDS));

    @BeforeAll
    static void start() throws Exception {
        Chromium.executable(); // before anything starts: fail at once, saying how to install it
        server = new TestServer(dir.resolve("data"), Map.of(), now::get);
        Files.createDirectories(SHOTS);
        chromium = Chromium.launch();
        browser = chromium.browser();
    }

    @AfterAll
    static void stop() {
        if (chromium != null) chromium.close();
        if (server != null) server.close();
    }

    static void play(String session, String type, double position, Instant at, String source) throws Exception {
        now.set(at);
        var r = server.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/videos/" + videoId + "/events"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"" + type + "\",\"position_seconds\":" + position
                        + ",\"session_id\":\"" + session + "\",\"source\":\"" + source + "\"}"))
                .header("Content-Type", "application/json"));
        assertThat(r.statusCode()).isEqualTo(202);
    }

    static String videoId;

    @Test
    void theAnalyticsPageDrawsTheRetentionChartAfterScriptedPlays() throws Exception {
        String token = server.register("creator");
        videoId = server.upload(Files.readAllBytes(server.clip(dir, "twenty.mp4", 64, 48, 20)), token);
        assertThat(server.awaitEnd(videoId, token).get("status").asText()).isEqualTo("ready");
        // Three viewers: to the end, to half way, and away after 4 s; each heartbeat 2 s of playback later.
        Instant t = now.get().plusSeconds(5);
        int[] ends = {20, 10, 4};
        String[] sources = {"search", "home", "related"};
        for (int s = 0; s < ends.length; s++) {
            String session = "browser-session-" + s;
            play(session, "start", 0, t, sources[s]);
            for (int p = 2; p <= ends[s]; p += 2) {
                t = t.plusSeconds(2);
                play(session, p >= 20 ? "complete" : "heartbeat", p, t, sources[s]);
            }
            t = t.plusSeconds(5);
        }
        JsonNode totals = null;
        for (long deadline = System.nanoTime() + 20_000_000_000L; System.nanoTime() < deadline; Thread.sleep(100)) {
            totals = TestServer.JSON.readTree(server.get("/api/v1/videos/" + videoId + "/analytics?range=28d", token).body()).get("totals");
            if (totals.get("plays").asLong() == 3 && totals.get("views").asLong() == 2) break;
        }
        assertThat(totals.get("views").asLong()).isEqualTo(2);

        List<String> errors = new CopyOnWriteArrayList<>();
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800));
        Page page = context.newPage();
        page.setDefaultTimeout(30_000);
        page.onConsoleMessage(m -> { if (m.type().equals("error")) errors.add(m.text()); });
        page.onPageError(e -> errors.add("uncaught: " + e));
        page.navigate(server.base + "/signin");
        page.fill("#username", "creator");
        page.fill("#password", "correct horse");
        page.click("#auth-form button[type=submit]");
        page.waitForURL(server.base + "/");

        page.navigate(server.base + "/studio");
        page.click("#studio-analytics");
        page.waitForURL(server.base + "/studio/analytics");
        page.selectOption("#analytics-subject", videoId);
        page.waitForSelector("#retention-card:not([hidden]) #retention-chart canvas");
        page.waitForSelector("#series-chart canvas");
        page.waitForSelector("#realtime-chart canvas");
        assertThat(page.url()).contains("video=" + videoId);
        assertThat(page.textContent("[data-kpi='Views'] .value")).isEqualTo("2");
        assertThat(page.textContent("[data-kpi='Plays'] .value")).isEqualTo("3");
        assertThat(page.textContent("[data-kpi='Views'] .delta")).contains("new");
        assertThat(page.locator("[data-dimension='source'] tbody tr").count()).isEqualTo(3);

        // Hover half way along the retention chart: the legend names that point and its share.
        Locator over = page.locator("#retention-chart .u-over");
        over.scrollIntoViewIfNeeded();
        var box = over.boundingBox();
        page.mouse().move(box.x + 5, box.y + 5);
        page.mouse().move(box.x + box.width * 0.3, box.y + box.height / 2, new com.microsoft.playwright.Mouse.MoveOptions().setSteps(8));
        page.waitForTimeout(200); // uPlot moves its cursor on the next animation frame
        String legend = page.textContent("#retention-chart .u-legend");
        assertThat(legend).contains("Still watching").containsPattern("\\d+(\\.\\d)? %");
        page.locator("#retention-card").screenshot(new Locator.ScreenshotOptions().setPath(SHOTS.resolve("analytics-retention-hover.png")));
        page.evaluate("() => window.scrollTo(0, 0)"); // the sticky header at the top of the full-page shot
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("analytics-desktop.png")).setFullPage(true));

        page.click("[data-range='48h']");
        page.waitForFunction("() => true"); // let the click's fetch start
        page.waitForSelector("[data-range='48h'][aria-pressed='true']");
        assertThat(page.url()).contains("range=48h");
        assertThat(errors).isEmpty();
        context.close();
    }
}
