package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.core.blob.BlobKeys;

/**
 * Clients nobody here wrote, against a real Kinora (issue 13 items 1 and 2): tus-js-client with
 * {@code parallelUploads} in Node (tus concatenation), Uppy on another site in Chromium (CORS for
 * tus), and a player page on another site fetching media with CMCD headers and a Range
 * (preflight, exposed headers, Timing-Allow-Origin). The other site is a second HTTP server (the
 * JDK's) on {@code localhost}, a different site from Kinora's {@code 127.0.0.1}. The npm packages
 * come from the npm registry through npm itself, cached under target/.
 */
@Timeout(180)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrossOriginClientsIT {
    static final String TUS_JS = "tus-js-client@4.3.1";
    static final List<String> UPPY = List.of("@uppy/core@6.3.1", "@uppy/tus@6.0.0", "esbuild@0.28.2");
    static final Path NPM = Path.of("target/it-npm").toAbsolutePath();

    @TempDir
    static Path dir;
    static TestServer server;
    static HttpServer site;
    static String siteOrigin;
    static String alice;
    static Path clip;
    static JsonNode readyVideo;
    static Chromium chromium;
    static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        npmInstall();
        clip = null;
        site = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        siteOrigin = "http://localhost:" + site.getAddress().getPort();
        server = new TestServer(dir.resolve("data"), Map.of("cors.allowed-origins", siteOrigin, "cors.max-age-seconds", "300"));
        clip = server.clip(dir, "clip.mp4", 320, 240, 1);
        serve("/uppy.html", "text/html", resource("uppy.html"));
        serve("/player.html", "text/html", resource("player.html"));
        serve("/uppy-bundle.js", "text/javascript", Files.readAllBytes(NPM.resolve("uppy-bundle.js")));
        serve("/clip.mp4", "video/mp4", Files.readAllBytes(clip));
        serve("/favicon.ico", "image/x-icon", new byte[0]);
        site.start();
        alice = server.register("alice");
    }

    @AfterAll
    static void stop() {
        if (chromium != null) chromium.close();
        if (site != null) site.stop(0);
        if (server != null) server.close();
    }

    @Test
    @Order(1)
    void tusJsClientParallelUploadsMakeOneVideoThatBecomesReady() throws Exception {
        var options = server.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/uploads"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(options.headers().firstValue("Tus-Extension")).hasValueSatisfying(e -> assertThat(e).contains("concatenation"));

        String out = run(List.of("node", resourcePath("tus-parallel.cjs").toString(), server.base + "/api/v1/uploads", alice,
                clip.toString(), "3"), NPM);
        JsonNode result = TestServer.JSON.readTree(out.lines().reduce((a, b) -> b).orElseThrow());
        String videoId = result.get("videoId").asText();
        assertThat(videoId).isNotEmpty();

        readyVideo = server.awaitEnd(videoId, alice);
        assertThat(readyVideo.get("status").asText()).isEqualTo("ready");
        assertThat(readyVideo.get("title").asText()).isEqualTo("Sent in parallel pieces");
        assertThat(server.sha256OfBlob(BlobKeys.original(videoId))).as("the pieces, in order, are the file").isEqualTo(TestServer.sha256(clip));
        assertThat(count("SELECT count(*) FROM videos WHERE owner_id = (SELECT id FROM users WHERE username = 'alice')"))
                .as("the three pieces made no videos").isEqualTo(1);
        assertThat(count("SELECT count(*) FROM uploads WHERE concat = 'partial'")).as("the pieces are gone").isZero();
    }

    @Test
    @Order(2)
    void craftedFinalRequestsGetPrecise4xxAndCreateNothing() throws Exception {
        String bob = server.register("bob");
        String mine = piece(alice, "abc".getBytes());
        String bobs = piece(bob, "xyz".getBytes());
        var unfinished = tus("POST", "/api/v1/uploads", alice, null, "Upload-Concat", "partial", "Upload-Length", "10");
        assertThat(unfinished.statusCode()).isEqualTo(201);
        assertThat(unfinished.headers().firstValue("Kinora-Video-Id")).as("a piece is no video").isEmpty();
        String half = path(unfinished);
        var head = tus("HEAD", half, alice, null);
        assertThat(head.headers().firstValue("Upload-Concat")).hasValue("partial");
        String plain = path(tus("POST", "/api/v1/uploads", alice, null, "Upload-Length", "5"));
        long videosBefore = count("SELECT count(*) FROM videos");

        assertFinal("final;" + mine + " " + bobs, 400, "unknown_partial_upload");
        assertFinal("final;" + mine + " " + half, 409, "partial_upload_unfinished");
        assertFinal("final;" + mine + " " + plain, 400, "not_a_partial_upload");
        assertFinal("final;" + mine + " " + mine, 400, "invalid_upload_concat");
        assertFinal("final;" + mine + " /api/v1/uploads/does-not-exist", 400, "unknown_partial_upload");
        String id = mine.substring(mine.lastIndexOf('/') + 1);
        for (String hostile : List.of("final;", "final", "partial;x", "final;/api/v1/uploads/" + id + "?x=1",
                "final;/api/v1/uploads/" + id + "#f", "final;/api/v1/videos/" + id, "final;/api/v1/uploads/../uploads/" + id,
                "final;/api/v1/uploads/%2e%2e", "final;ftp://127.0.0.1/api/v1/uploads/" + id,
                "final;http://alice:pw@127.0.0.1/api/v1/uploads/" + id, "final;//127.0.0.1/api/v1/uploads/" + id,
                "final;http://127.0.0.1/api/v1/uploads/" + id + "/x", "final;http://[::1/api/v1/uploads/" + id,
                "final;" + "/api/v1/uploads/a ".repeat(101))) {
            assertFinal(hostile, 400, "invalid_upload_concat");
        }
        var withLength = tus("POST", "/api/v1/uploads", alice, null, "Upload-Concat", "final;" + mine, "Upload-Length", "3");
        assertThat(withLength.statusCode()).isEqualTo(400);
        assertThat(withLength.body()).contains("upload_length_with_final");
        assertThat(count("SELECT count(*) FROM videos")).as("refused finals create no video").isEqualTo(videosBefore);

        var done = tus("POST", "/api/v1/uploads", alice, null, "Upload-Concat", "final;" + server.base + mine);
        assertThat(done.statusCode()).isEqualTo(201);
        assertThat(done.headers().firstValue("Kinora-Video-Id")).isPresent();
        assertThat(done.headers().firstValue("Upload-Offset")).hasValue("3");
        var patch = tus("PATCH", path(done), alice, new byte[] {1}, "Upload-Offset", "3", "Content-Type", "application/offset+octet-stream");
        assertThat(patch.statusCode()).as(patch.body()).isEqualTo(403);
        assertFinal("final;" + mine, 400, "unknown_partial_upload"); // taken and gone
    }

    @Test
    @Order(3)
    void preflightsAnswerAllowedOriginsOnlyAndNeverAllowCredentials() throws Exception {
        var allowed = preflight("/api/v1/uploads", siteOrigin, "POST", "tus-resumable,upload-length,upload-concat,authorization");
        assertThat(allowed.statusCode()).isEqualTo(204);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue(siteOrigin);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Headers")).hasValueSatisfying(h ->
                assertThat(h).contains("Upload-Concat", "Tus-Resumable", "Authorization", "Idempotency-Key"));
        assertThat(allowed.headers().firstValue("Access-Control-Max-Age")).hasValue("300");
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
        assertThat(preflight("/api/v1/videos/some-id/comments", siteOrigin, "POST", "content-type,authorization").statusCode())
                .as("any API path").isEqualTo(204);
        var other = preflight("/api/v1/uploads", "http://evil.example", "POST", "upload-length");
        assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

        var media = preflight("/media/tok/vid/360p/seg_00001.m4s", "http://anywhere.example", "GET", "range,cmcd-request");
        assertThat(media.statusCode()).as("OPTIONS on media used to be 404").isEqualTo(204);
        assertThat(media.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(media.headers().firstValue("Access-Control-Allow-Headers")).hasValueSatisfying(h ->
                assertThat(h).contains("Range", "CMCD-Request", "CMCD-Object", "CMCD-Status", "CMCD-Session"));
    }

    @Test
    @Order(4)
    void uppyOnAnotherSiteUploadsToKinora() throws Exception {
        Page page = browserPage();
        List<String> errors = new CopyOnWriteArrayList<>();
        page.onConsoleMessage(m -> { if (m.type().equals("error")) errors.add(m.text()); });
        page.navigate(siteOrigin + "/uppy.html?kinora=" + enc(server.base) + "&token=" + enc(alice));
        Map<?, ?> result = awaitResult(page);
        assertThat(result.get("error")).as(String.valueOf(result)).isNull();
        assertThat(result.get("successful")).as(String.valueOf(result)).isEqualTo(1);
        String videoId = (String) result.get("videoId");
        assertThat(videoId).as("Kinora-Video-Id is exposed to the other site's script").isNotNull();
        assertThat((String) result.get("uploadURL")).startsWith(server.base + "/api/v1/uploads/");
        JsonNode video = server.video(videoId, alice);
        assertThat(video.get("title").asText()).isEqualTo("from-another-site");
        assertThat(server.sha256OfBlob(BlobKeys.original(videoId))).isEqualTo(TestServer.sha256(clip));
        assertThat(errors).isEmpty();
    }

    @Test
    @Order(5)
    void aPlayerOnAnotherSiteFetchesMediaWithCmcdHeadersAndSeesItsTiming() throws Exception {
        assertThat(readyVideo).as("the parallel upload's video").isNotNull();
        String master = readyVideo.get("playback").get("hls").asText();
        String rung = readyVideo.get("renditions").get(0).get("name").asText();
        String segment = master.substring(0, master.length() - "master.m3u8".length()) + rung + "/seg_00001.m4s";
        Page page = browserPage();
        page.navigate(siteOrigin + "/player.html?master=" + enc(master) + "&segment=" + enc(segment));
        Map<?, ?> result = awaitResult(page);
        assertThat(result.get("error")).as(String.valueOf(result)).isNull();
        assertThat(result.get("masterStatus")).isEqualTo(200);
        assertThat(result.get("playlistStartsWith")).isEqualTo("#EXTM3U");
        assertThat(result.get("segmentStatus")).isEqualTo(206);
        assertThat((String) result.get("contentRange")).as("Content-Range is exposed").startsWith("bytes 0-99/");
        assertThat(result.get("bytes")).isEqualTo(100);
        assertThat(((Number) result.get("encodedBodySize")).intValue()).as("Timing-Allow-Origin lets the player see sizes").isEqualTo(100);
    }

    /** Pieces take quota when created; the final upload replaces them rather than counting twice. */
    @Test
    @Order(6)
    void piecesCountTowardTheQuotaOnceAndTheFinalDoesNotCountThemAgain() throws Exception {
        String carol = server.register("carol");
        try (Connection c = DriverManager.getConnection(server.kinora.databaseUrl());
             PreparedStatement q = c.prepareStatement("UPDATE users SET upload_quota_bytes = 10 WHERE username = 'carol'")) {
            q.executeUpdate();
        }
        String a = piece(carol, "12345".getBytes());
        String b = piece(carol, "6789".getBytes());
        var over = tus("POST", "/api/v1/uploads", carol, null, "Upload-Concat", "partial", "Upload-Length", "2");
        assertThat(over.statusCode()).as(over.body()).isEqualTo(413);
        assertThat(over.body()).contains("quota_exceeded");
        var joined = tus("POST", "/api/v1/uploads", carol, null, "Upload-Concat", "final;" + a + " " + b);
        assertThat(joined.statusCode()).as(joined.body()).isEqualTo(201);
        assertThat(tus("POST", "/api/v1/uploads", carol, null, "Upload-Concat", "partial", "Upload-Length", "1").statusCode())
                .as("9 of 10 bytes used: the final took its pieces' place").isEqualTo(201);
    }

    // --- helpers ---

    static Page browserPage() {
        if (browser == null) {
            chromium = Chromium.launch();
            browser = chromium.browser();
        }
        Page page = browser.newContext().newPage();
        page.setDefaultTimeout(30_000);
        return page;
    }

    static Map<?, ?> awaitResult(Page page) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Boolean.TRUE.equals(page.evaluate("() => Boolean(window.result)"))) {
            if (System.nanoTime() > deadline) throw new AssertionError("the page never finished: " + page.content());
            Thread.sleep(100);
        }
        return (Map<?, ?>) page.evaluate("() => window.result");
    }

    /** A finished partial upload of {@code bytes}; returns its path. */
    static String piece(String token, byte[] bytes) throws Exception {
        var created = tus("POST", "/api/v1/uploads", token, bytes, "Upload-Concat", "partial", "Upload-Length",
                Integer.toString(bytes.length), "Content-Type", "application/offset+octet-stream");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Upload-Offset")).hasValue(Integer.toString(bytes.length));
        return path(created);
    }

    static String path(HttpResponse<String> created) {
        String location = created.headers().firstValue("Location").orElseThrow(() -> new AssertionError(created.body()));
        return URI.create(location).getPath();
    }

    static void assertFinal(String concat, int status, String code) throws Exception {
        var r = tus("POST", "/api/v1/uploads", alice, null, "Upload-Concat", concat);
        assertThat(r.statusCode()).as(concat + " -> " + r.body()).isEqualTo(status);
        assertThat(TestServer.JSON.readTree(r.body()).path("code").asText(r.body())).as(concat).contains(code);
    }

    static HttpResponse<String> tus(String method, String path, String token, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Tus-Resumable", "1.0.0").header("Authorization", "Bearer " + token);
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return server.send(b);
    }

    static HttpResponse<String> preflight(String path, String origin, String method, String headers) throws Exception {
        return server.send(HttpRequest.newBuilder(URI.create(server.base + path)).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin).header("Access-Control-Request-Method", method)
                .header("Access-Control-Request-Headers", headers));
    }

    static long count(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(server.kinora.databaseUrl());
             PreparedStatement q = c.prepareStatement(sql); ResultSet rs = q.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static void serve(String path, String type, byte[] body) {
        site.createContext(path, exchange -> {
            try (exchange) {
                exchange.getResponseHeaders().set("Content-Type", type);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = CrossOriginClientsIT.class.getResourceAsStream("/crossorigin/" + name)) {
            if (in == null) throw new IOException("test resource crossorigin/" + name + " is missing");
            return in.readAllBytes();
        }
    }

    /** A copy of the resource beside node_modules, where Node resolves its require()s. */
    static Path resourcePath(String name) throws Exception {
        Path p = NPM.resolve(name);
        Files.write(p, resource(name));
        return p;
    }

    /**
     * tus-js-client for Node and Uppy bundled for the browser (esbuild), from the npm registry via
     * npm, pinned; installed once under target/ and reused by later runs.
     */
    static void npmInstall() throws Exception {
        Files.createDirectories(NPM);
        if (!Files.exists(NPM.resolve("uppy-bundle.js"))) {
            List<String> install = new ArrayList<>(List.of("npm", "install", "--no-audit", "--no-fund", "--no-save", "--prefix", NPM.toString(), TUS_JS));
            install.addAll(UPPY);
            run(install, NPM);
            Files.writeString(NPM.resolve("uppy-entry.js"), """
                    import Uppy from '@uppy/core';
                    import Tus from '@uppy/tus';
                    window.Uppy = Uppy;
                    window.UppyTus = Tus;
                    """);
            run(List.of(NPM.resolve("node_modules/.bin/esbuild").toString(), "uppy-entry.js", "--bundle", "--format=iife",
                    "--outfile=uppy-bundle.js", "--log-level=warning"), NPM);
        }
    }

    static String run(List<String> command, Path workDir) throws Exception {
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed:\n" + out);
        }
        return out;
    }
}
