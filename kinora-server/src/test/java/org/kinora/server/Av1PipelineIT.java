package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code transcode.av1 = on} through a real server: a 10 s 640x360 upload gets AV1 twins of its two
 * H.264 rungs; the master and the MPD list both codecs with measured rates, H.264 first, and the
 * AV1 segments decode frame by frame over HTTP. In Chromium, a browser that refuses AV1 (its
 * MediaSource.isTypeSupported and mediaCapabilities say no) plays the H.264 rungs through hls.js
 * and dash.js; one that decodes AV1 switches to an AV1 rung and keeps playing.
 */
@Timeout(300)
class Av1PipelineIT {
    @TempDir
    static Path dir;
    static TestServer server;
    static String alice;
    static JsonNode video;
    static Chromium chromium;
    static Browser browser;

    /** A browser without AV1: MSE and Media Capabilities refuse every av01 type. */
    static final String REFUSE_AV1 = """
            (() => {
              const av1 = (t) => /av01/i.test(String(t));
              const mse = MediaSource.isTypeSupported.bind(MediaSource);
              MediaSource.isTypeSupported = (t) => !av1(t) && mse(t);
              if (navigator.mediaCapabilities) {
                const info = navigator.mediaCapabilities.decodingInfo.bind(navigator.mediaCapabilities);
                navigator.mediaCapabilities.decodingInfo = (c) => av1(c?.video?.contentType)
                  ? Promise.resolve({ supported: false, smooth: false, powerEfficient: false }) : info(c);
              }
            })();""";

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(dir.resolve("data"), Map.of("transcode.av1", "on"));
        alice = server.register("alice");
        Path clip = server.clip(dir, "clip.mp4", 640, 360, 10);
        String id = server.upload(Files.readAllBytes(clip), alice);
        video = server.awaitEnd(id, alice);
        assertThat(video.get("status").asText()).as(video.toString()).isEqualTo("ready");
    }

    @AfterAll
    static void stop() {
        if (chromium != null) chromium.close();
        if (server != null) server.close();
    }

    static Browser browser() {
        if (browser != null) return browser;
        chromium = Chromium.launch();
        browser = chromium.browser();
        return browser;
    }

    /** The watch page, playing, with the page's errors collected into {@code errors}. */
    static Page watch(String query, boolean refuseAv1, List<String> errors) {
        Page page = browser().newContext(new Browser.NewContextOptions().setViewportSize(1280, 800)).newPage();
        page.setDefaultTimeout(30_000);
        page.onConsoleMessage(m -> {
            if (m.type().equals("error")) errors.add(m.text());
        });
        page.onPageError(e -> errors.add("uncaught: " + e));
        if (refuseAv1) page.addInitScript(REFUSE_AV1);
        page.navigate(server.base + "/watch/" + video.get("id").asText() + query);
        FirstViewerIT.waitUntil(page, "document.getElementById('video').currentTime > 1", Duration.ofSeconds(60));
        return page;
    }

    @Test
    void hlsJsInABrowserWithoutAv1PlaysTheH264Rungs() {
        List<String> errors = new CopyOnWriteArrayList<>();
        Page page = watch("", true, errors);
        Object codecs = page.evaluate("() => window.kinoraPlayer.hls.levels.map((l) => l.videoCodec + ' ' + l.height).join(',')");
        assertThat(codecs).isEqualTo("avc1.640015 240,avc1.64001e 360");
        assertThat(page.evaluate("() => document.getElementById('video').videoHeight")).isIn(240, 360);
        assertThat(errors).isEmpty();
        page.context().close();
    }

    @Test
    void hlsJsInABrowserThatDecodesAv1SwitchesToAnAv1RungAndKeepsPlaying() {
        List<String> errors = new CopyOnWriteArrayList<>();
        Page page = watch("", false, errors);
        assertThat(page.evaluate("() => MediaSource.isTypeSupported('video/mp4; codecs=\"av01.0.01M.08\"')"))
                .as("this Chromium decodes AV1").isEqualTo(true);
        Object av1 = page.evaluate("() => window.kinoraPlayer.hls.levels.findIndex((l) => l.videoCodec === 'av01.0.01M.08')");
        assertThat(((Number) av1).intValue()).as("the 360p AV1 level is offered").isNotNegative();
        page.evaluate("(i) => { const v = document.getElementById('video'); window.av1Frames = () => v.getVideoPlaybackQuality().totalVideoFrames;"
                + " window.kinoraPlayer.hls.currentLevel = i; v.currentTime = 0; v.play(); }", av1);
        FirstViewerIT.waitUntil(page, "window.kinoraPlayer.hls.currentLevel === " + av1
                + " && window.kinoraPlayer.hls.levels[window.kinoraPlayer.hls.currentLevel].videoCodec.startsWith('av01')"
                + " && document.getElementById('video').currentTime > 3", Duration.ofSeconds(60));
        assertThat(((Number) page.evaluate("() => window.av1Frames()")).intValue()).isPositive();
        assertThat(page.evaluate("() => document.getElementById('video').videoHeight")).isEqualTo(360);
        assertThat(errors).isEmpty();
        page.context().close();
    }

    @Test
    void dashJsInABrowserWithoutAv1PlaysTheH264AdaptationSet() {
        List<String> errors = new CopyOnWriteArrayList<>();
        Page page = watch("?player=dash", true, errors);
        assertThat(page.evaluate("() => window.kinoraPlayer.engine")).isEqualTo("dash.js");
        assertThat(String.valueOf(page.evaluate("() => window.kinoraPlayer.dash.getCurrentTrackFor('video').codec"))).contains("avc1");
        assertThat(errors).isEmpty();
        page.context().close();
    }

    static String media(String file) {
        String hls = video.get("playback").get("hls").asText();
        return hls.substring(0, hls.length() - "master.m3u8".length()) + file;
    }

    @Test
    void theMasterListsBothCodecsH264FirstWithMeasuredRates() throws Exception {
        String master = server.get(media("master.m3u8"), null).body();
        List<String> variants = master.lines().filter(l -> !l.startsWith("#")).toList();
        assertThat(variants).containsExactly("360p/index.m3u8", "240p/index.m3u8", "240p-av1/index.m3u8", "360p-av1/index.m3u8");
        assertThat(master).contains("CODECS=\"avc1.64001e,mp4a.40.2\"", "CODECS=\"av01.0.00M.08,mp4a.40.2\"",
                "CODECS=\"av01.0.01M.08,mp4a.40.2\"");
        // Both codecs' BANDWIDTH is the measured peak segment rate plus the same audio share.
        long audioShare = bandwidth(master, "240p") - peak("240p");
        assertThat(audioShare).isPositive();
        for (String rung : List.of("240p-av1", "360p-av1", "360p")) {
            assertThat(bandwidth(master, rung)).as(rung).isEqualTo(peak(rung) + audioShare);
        }
        assertThat(video.get("renditions").toString()).contains("\"240p-av1\"", "\"360p-av1\"");
    }

    @Test
    void theMpdHasAnAv1AdaptationSetBesideTheH264One() throws Exception {
        HttpResponse<String> mpd = server.get(video.get("playback").get("dash").asText(), null);
        assertThat(mpd.statusCode()).isEqualTo(200);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(mpd.body().getBytes(StandardCharsets.UTF_8)));
        NodeList sets = doc.getElementsByTagName("AdaptationSet");
        List<String> described = new ArrayList<>();
        for (int i = 0; i < sets.getLength(); i++) {
            NodeList reps = ((Element) sets.item(i)).getElementsByTagName("Representation");
            List<String> codecs = new ArrayList<>();
            for (int j = 0; j < reps.getLength(); j++) codecs.add(((Element) reps.item(j)).getAttribute("codecs"));
            described.add(((Element) sets.item(i)).getAttribute("contentType") + " " + codecs);
        }
        assertThat(described).containsExactly("video [avc1.640015, avc1.64001e]", "video [av01.0.00M.08, av01.0.01M.08]",
                "audio [mp4a.40.2]");
    }

    @Test
    void theAv1RenditionsDecodeEveryFrameOverHttp() {
        for (String rung : List.of("240p-av1", "360p-av1")) {
            String frames = server.ffmpeg().runFfprobe(List.of("-v", "error", "-count_frames", "-select_streams", "v:0",
                    "-show_entries", "stream=codec_name,width,nb_read_frames", "-of", "csv=p=0", media(rung + "/index.m3u8")));
            String width = rung.startsWith("240") ? "426" : "640";
            assertThat(frames.lines().filter(l -> !l.isBlank()).distinct().toList()).as(rung).containsExactly("av1," + width + ",300");
        }
    }

    private static long bandwidth(String master, String rung) {
        Matcher m = Pattern.compile("BANDWIDTH=(\\d+),[^\\n]*\\n" + Pattern.quote(rung) + "/index\\.m3u8").matcher(master);
        assertThat(m.find()).as(rung + " in the master").isTrue();
        return Long.parseLong(m.group(1));
    }

    /** The highest EXT-X-BITRATE (kb/s) of the rendition's playlist, in bit/s. */
    private static long peak(String rung) throws Exception {
        return server.get(media(rung + "/index.m3u8"), null).body().lines()
                .filter(l -> l.startsWith("#EXT-X-BITRATE:"))
                .mapToLong(l -> Long.parseLong(l.substring("#EXT-X-BITRATE:".length())) * 1000).max().orElseThrow();
    }
}
