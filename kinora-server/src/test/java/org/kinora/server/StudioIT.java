package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

/**
 * Issue 19's Studio tools against a real Kinora (embedded PostgreSQL, real ffmpeg): captions
 * uploaded as SRT and WebVTT appear in the HLS master (SUBTITLES group) and the MPD (text
 * AdaptationSet) and ffmpeg reads them; broken SRT is refused with its line; replace, download,
 * delete; chapters from the description and from Studio; a custom thumbnail and a chosen frame;
 * suggested frames that skip black and blurred stretches; details; a scheduled publication
 * reached by moving the server's clock.
 */
@Timeout(240)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StudioIT {
    @TempDir
    static Path dir;
    static TestServer server;
    static Api api;
    static String token;
    static String videoId;
    static final AtomicReference<Duration> clockOffset = new AtomicReference<>(Duration.ZERO);

    static final String SRT = """
            1
            00:00:00,500 --> 00:00:03,000
            Hello <b>world</b>, a cue in English

            2
            00:00:03,500 --> 00:00:07,500
            Second line <script>alert(1)</script>
            """;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(dir.resolve("data"), Map.of(), () -> Instant.now().plus(clockOffset.get()));
        api = new Api(server);
        token = server.register("studio");
        // 8 s: black until 3 s, blurred until 5 s, sharp after; a tone throughout.
        Path clip = dir.resolve("studio.mp4");
        server.ffmpeg().runFfmpeg(List.of("-v", "error", "-y", "-f", "lavfi", "-i",
                "testsrc2=size=480x270:rate=30,boxblur=12:enable='between(t,3,5)',"
                        + "drawbox=x=0:y=0:w=iw:h=ih:color=black:t=fill:enable='lt(t,3)'",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "8",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", clip.toString()));
        videoId = server.upload(Files.readAllBytes(clip), token);
        JsonNode ready = server.awaitEnd(videoId, token);
        assertThat(ready.get("status").asText()).isEqualTo("ready");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    static HttpResponse<String> putBytes(String path, byte[] body, String contentType) throws Exception {
        return server.send(HttpRequest.newBuilder(URI.create(server.base + path)).PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", contentType).header("Authorization", "Bearer " + token));
    }

    static String media(String file) throws Exception {
        String hls = server.video(videoId, token).get("playback").get("hls").asText();
        return hls.substring(0, hls.length() - "master.m3u8".length()) + file;
    }

    static byte[] mediaBytes(String file) throws Exception {
        return server.http.send(HttpRequest.newBuilder(URI.create(media(file))).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
    }

    @Test
    @Order(1)
    void captionsAppearInHlsAndDashAndFfmpegReadsThem() throws Exception {
        HttpResponse<String> put = putBytes("/api/v1/videos/" + videoId + "/captions/en", SRT.getBytes(StandardCharsets.UTF_8), "application/x-subrip");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(TestServer.JSON.readTree(put.body()).get("label").asText()).isEqualTo("English");
        assertThat(putBytes("/api/v1/videos/" + videoId + "/captions/fr?label=Fran%C3%A7ais",
                "WEBVTT\n\n00:01.000 --> 00:04.000\nBonjour\n".getBytes(StandardCharsets.UTF_8), "text/vtt").statusCode()).isEqualTo(200);

        String master = new String(mediaBytes("master.m3u8"), StandardCharsets.UTF_8);
        assertThat(master).contains("#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"subs\",NAME=\"English\",LANGUAGE=\"en\"",
                "LANGUAGE=\"fr\"", "URI=\"captions/en.m3u8\"");
        assertThat(master.lines().filter(l -> l.startsWith("#EXT-X-STREAM-INF:"))).allSatisfy(l -> assertThat(l).contains("SUBTITLES=\"subs\""));
        String playlist = new String(mediaBytes("captions/en.m3u8"), StandardCharsets.UTF_8);
        assertThat(playlist).contains("#EXT-X-PLAYLIST-TYPE:VOD", "en.vtt", "#EXT-X-ENDLIST");
        String vtt = new String(mediaBytes("captions/en.vtt"), StandardCharsets.UTF_8);
        assertThat(vtt).startsWith("WEBVTT").contains("00:00:00.500 --> 00:00:03.000\nHello world, a cue in English")
                .doesNotContain("<script>", "<b>");

        var mpd = DocumentBuilderFactory.newDefaultInstance().newDocumentBuilder().parse(new ByteArrayInputStream(mediaBytes("manifest.mpd")));
        var sets = mpd.getElementsByTagName("AdaptationSet");
        Element text = null;
        for (int i = 0; i < sets.getLength(); i++) {
            Element set = (Element) sets.item(i);
            if (set.getAttribute("contentType").equals("text") && set.getAttribute("lang").equals("en")) text = set;
        }
        assertThat(text).as("a text AdaptationSet for en").isNotNull();
        assertThat(text.getAttribute("mimeType")).isEqualTo("text/vtt");
        String baseUrl = text.getElementsByTagName("BaseURL").item(0).getTextContent();
        assertThat(new String(mediaBytes(baseUrl), StandardCharsets.UTF_8)).isEqualTo(vtt);

        // ffmpeg's HLS demuxer finds the subtitle renditions in the master and reads cues out of them at
        // the file's times. (Through the master it drops a cue that starts before the first media
        // packet it reads, an ffmpeg quirk; read through the subtitle playlist, every cue comes out.)
        String streams = server.ffmpeg().runFfprobe(List.of("-v", "error", "-show_entries", "stream=codec_type,codec_name",
                "-of", "csv=p=0", media("master.m3u8")));
        assertThat(streams).contains("webvtt,subtitle");
        Path viaMaster = dir.resolve("via-master.vtt");
        server.ffmpeg().runFfmpeg(List.of("-v", "error", "-y", "-i", media("master.m3u8"), "-map", "0:s:0", "-c", "copy", viaMaster.toString()));
        assertThat(Files.readString(viaMaster)).contains("00:03.500 --> 00:07.500\nSecond line alert(1)");
        Path viaPlaylist = dir.resolve("via-playlist.vtt");
        server.ffmpeg().runFfmpeg(List.of("-v", "error", "-y", "-i", media("captions/en.m3u8"), "-c", "copy", viaPlaylist.toString()));
        assertThat(Files.readString(viaPlaylist)).contains("00:00.500 --> 00:03.000\nHello world, a cue in English",
                "00:03.500 --> 00:07.500\nSecond line alert(1)");
    }

    @Test
    @Order(2)
    void brokenSrtIsRefusedWithItsLine() throws Exception {
        String broken = "1\n00:00:01,000 --> 00:00:02,000\nfine\n\n2\n00:00:03,000 --> 00:00:0x,000\nbad time\n";
        HttpResponse<String> r = putBytes("/api/v1/videos/" + videoId + "/captions/de", broken.getBytes(StandardCharsets.UTF_8), "application/x-subrip");
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode error = TestServer.JSON.readTree(r.body());
        assertThat(error.get("code").asText()).isEqualTo("invalid_captions");
        assertThat(error.get("message").asText()).startsWith("Line 6:").contains("00:00:0x,000");
        assertThat(error.get("details").get("line").asInt()).isEqualTo(6);
        assertThat(putBytes("/api/v1/videos/" + videoId + "/captions/%3Cx%3E", "WEBVTT\n".getBytes(StandardCharsets.UTF_8), "text/vtt").statusCode())
                .isEqualTo(400);
        assertThat(putBytes("/api/v1/videos/" + videoId + "/captions/de", new byte[1_000_001], "text/vtt").statusCode()).isEqualTo(413);
        String other = server.register("notowner");
        assertThat(server.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/videos/" + videoId + "/captions/de"))
                .PUT(HttpRequest.BodyPublishers.ofString("WEBVTT\n\n00:01.000 --> 00:02.000\nx\n"))
                .header("Authorization", "Bearer " + other)).statusCode()).isEqualTo(403);
        assertThat(api.get("/api/v1/videos/" + videoId + "/captions", null).json().get("items")).hasSize(2);
    }

    @Test
    @Order(3)
    void captionsAreReplacedDownloadedAndDeleted() throws Exception {
        assertThat(putBytes("/api/v1/videos/" + videoId + "/captions/fr", "WEBVTT\n\n00:01.000 --> 00:04.000\nSalut\n".getBytes(StandardCharsets.UTF_8),
                "text/vtt").statusCode()).isEqualTo(200);
        HttpResponse<String> download = server.get("/api/v1/videos/" + videoId + "/captions/fr", null);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/vtt");
        assertThat(download.body()).contains("Salut").doesNotContain("Bonjour");
        assertThat(api.delete("/api/v1/videos/" + videoId + "/captions/fr", token).status()).isEqualTo(204);
        assertThat(api.delete("/api/v1/videos/" + videoId + "/captions/fr", token).status()).isEqualTo(404);
        String master = new String(mediaBytes("master.m3u8"), StandardCharsets.UTF_8);
        assertThat(master).contains("LANGUAGE=\"en\"").doesNotContain("LANGUAGE=\"fr\"");
        assertThat(new String(mediaBytes("manifest.mpd"), StandardCharsets.UTF_8)).doesNotContain("lang=\"fr\"");
        // Caption text is searchable.
        JsonNode found = api.get("/api/v1/search?q=cue", null).json();
        assertThat(found.get("items").findValuesAsText("id")).contains(videoId);
    }

    @Test
    @Order(4)
    void chaptersFromTheDescriptionAndFromStudio() throws Exception {
        assertThat(api.patch("/api/v1/videos/" + videoId, "{\"description\":\"Tour\\n0:00 Intro\\n0:03 Blur\\n0:05 Sharp part\"}", token).status())
                .isEqualTo(200);
        JsonNode chapters = api.get("/api/v1/videos/" + videoId + "/chapters", null).json().get("items");
        assertThat(chapters.findValuesAsText("title")).containsExactly("Intro", "Blur", "Sharp part");
        assertThat(chapters.get(1).get("start").asInt()).isEqualTo(3);
        HttpResponse<String> vtt = server.get("/api/v1/videos/" + videoId + "/chapters.vtt", null);
        assertThat(vtt.body()).startsWith("WEBVTT").contains("00:00:03.000 --> 00:00:05.000\nBlur");

        Api.Reply bad = api.patch("/api/v1/videos/" + videoId + "/details", "{\"chapters\":\"0:01 Late start\\n0:02 a\\n0:03 b\"}", token);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("message").asText()).contains("0:00");
        assertThat(api.patch("/api/v1/videos/" + videoId + "/details", "{\"chapters\":\"0:00 Start\\n0:02 Middle\\n0:06 End\"}", token).status())
                .isEqualTo(200);
        assertThat(api.get("/api/v1/videos/" + videoId + "/chapters", null).json().get("items").findValuesAsText("title"))
                .containsExactly("Start", "Middle", "End");
    }

    @Test
    @Order(5)
    void aCustomThumbnailIsCroppedTo16By9AndAFrameCanBePicked() throws Exception {
        byte[] before = mediaBytes("thumbs/poster.jpg");
        String posterBefore = server.video(videoId, token).get("playback").get("poster").asText();
        assertThat(posterBefore).matches(".*/thumbs/poster\\.[0-9a-z]+\\.jpg");
        BufferedImage square = new BufferedImage(900, 900, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = square.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 900, 900);
        g.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(square, "png", png);
        HttpResponse<String> put = putBytes("/api/v1/videos/" + videoId + "/thumbnail", png.toByteArray(), "image/png");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(204);
        BufferedImage poster = ImageIO.read(new ByteArrayInputStream(mediaBytes("thumbs/poster.jpg")));
        assertThat(poster.getWidth()).isEqualTo(1280);
        assertThat(poster.getHeight()).isEqualTo(720);
        assertThat(redShare(poster)).isGreaterThan(0.95);
        // The changed thumbnail shows at once: a new URL (its revision in the path), cached for good,
        // with the new picture; the old URL is no longer cached for good.
        String posterAfter = server.video(videoId, token).get("playback").get("poster").asText();
        assertThat(posterAfter).isNotEqualTo(posterBefore).matches(".*/thumbs/poster\\.[0-9a-z]+\\.jpg");
        HttpResponse<byte[]> fresh = server.http.send(HttpRequest.newBuilder(URI.create(posterAfter)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(fresh.statusCode()).isEqualTo(200);
        assertThat(fresh.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
        assertThat(redShare(ImageIO.read(new ByteArrayInputStream(fresh.body())))).isGreaterThan(0.95);
        HttpResponse<byte[]> old = server.http.send(HttpRequest.newBuilder(URI.create(posterBefore)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(old.headers().firstValue("Cache-Control")).hasValue("public, max-age=60");
        assertThat(putBytes("/api/v1/videos/" + videoId + "/thumbnail", "<svg onload=alert(1)>".getBytes(StandardCharsets.UTF_8), "image/svg+xml")
                .statusCode()).isEqualTo(415);

        Api.Reply frame = api.post("/api/v1/videos/" + videoId + "/thumbnail/frame", "{\"at\":6.5}", token);
        assertThat(frame.status()).as(frame.json().toString()).isEqualTo(200);
        BufferedImage picked = ImageIO.read(new ByteArrayInputStream(mediaBytes("thumbs/poster.jpg")));
        assertThat(picked.getWidth()).isEqualTo(1280);
        assertThat(redShare(picked)).as("no longer the red picture").isLessThan(0.5);
        assertThat(mediaBytes("thumbs/poster.jpg")).isNotEqualTo(before);
        assertThat(server.video(videoId, token).get("playback").get("poster").asText()).as("a picked frame moves the URL too")
                .isNotEqualTo(posterAfter);
        assertThat(api.post("/api/v1/videos/" + videoId + "/thumbnail/frame", "{\"at\":99}", token).status()).isEqualTo(400);
    }

    /** The share of a 32x18 grid of the picture that is pure-ish red. */
    static double redShare(BufferedImage image) {
        int red = 0;
        for (int i = 0; i < 32; i++) {
            for (int j = 0; j < 18; j++) {
                Color c = new Color(image.getRGB(i * image.getWidth() / 32, j * image.getHeight() / 18));
                if (c.getRed() > 200 && c.getGreen() < 60 && c.getBlue() < 60) red++;
            }
        }
        return red / (32.0 * 18);
    }

    @Test
    @Order(6)
    void suggestedFramesAreNeitherBlackNorBlurred() throws Exception {
        JsonNode items = api.get("/api/v1/videos/" + videoId + "/thumbnail/suggestions", token).json().get("items");
        assertThat(items).hasSize(3);
        for (JsonNode s : items) {
            assertThat(s.get("at").asDouble()).as("after the black and blurred stretches: " + items).isGreaterThan(5.0);
            assertThat(ImageIO.read(new ByteArrayInputStream(mediaBytes(s.get("path").asText()))).getWidth()).isEqualTo(640);
        }
    }

    @Test
    @Order(7)
    void detailsAndAScheduledPublicationWithTheServersClockMoved() throws Exception {
        Instant at = Instant.now().plus(Duration.ofMinutes(10)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Api.Reply scheduled = api.patch("/api/v1/videos/" + videoId + "/details",
                "{\"category\":\"education\",\"language\":\"en\",\"licence\":\"cc-by\",\"publish_at\":\"" + at + "\"}", token);
        assertThat(scheduled.status()).as(scheduled.json().toString()).isEqualTo(200);
        assertThat(scheduled.json().get("publish_at").asText()).isEqualTo(at.toString());
        assertThat(server.video(videoId, token).get("privacy").asText()).as("kept private until its time").isEqualTo("private");
        assertThat(server.get("/api/v1/videos/" + videoId, null).statusCode()).isEqualTo(404);
        assertThat(api.patch("/api/v1/videos/" + videoId + "/details", "{\"category\":\"bogus\"}", token).status()).isEqualTo(400);
        assertThat(api.patch("/api/v1/videos/" + videoId + "/details", "{\"publish_at\":\"2001-01-01T00:00:00Z\"}", token).status()).isEqualTo(400);

        clockOffset.set(Duration.ofMinutes(11)); // within the access token's hour
        Api.await(Duration.ofSeconds(40), () -> server.get("/api/v1/videos/" + videoId, null).statusCode() == 200);
        assertThat(server.video(videoId, null).get("privacy").asText()).isEqualTo("public");
        assertThat(api.get("/api/v1/videos/" + videoId + "/details", token).json().get("publish_at").isNull()).isTrue();
        assertThat(api.get("/api/v1/search?category=education&language=en", null).json().get("items").findValuesAsText("id")).contains(videoId);
        // The search page offers every category as a filter, and keeps the chosen one.
        String searchPage = server.get("/search?q=x&category=education", null).body();
        for (String category : org.kinora.core.details.VideoDetails.CATEGORIES) assertThat(searchPage).contains("value=\"" + category + "\"");
        assertThat(searchPage).contains("\"category\":\"education\"");
    }
}
