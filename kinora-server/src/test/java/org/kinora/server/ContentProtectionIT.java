package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: content protection and age restriction, on a real server. A protected video plays in
 * Chromium through hls.js (HLS AES-128, keys rotated every 2 segments) and through dash.js (CENC
 * decrypted by the browser's own ClearKey CDM through EME, the key from our licence endpoint);
 * keys and licences need the playback grant and are never publicly cacheable. An age-restricted
 * video (by its creator or a moderator) gets no playback link for anyone but signed-in adults and
 * its owner, the API and the origin refuse with the reason, and the watch page says it.
 */
@Timeout(300)
class ContentProtectionIT {
    @TempDir
    static Path dir;
    static TestServer server;
    static Api api;
    static Chromium chromium;
    static Browser browser;
    static String admin;
    static String creator;
    static String protectedVideo;
    static String plainVideo;
    static String ageVideo;
    static String geoVideo;

    @BeforeAll
    static void start() throws Exception {
        Chromium.executable(); // before anything starts: fail at once, saying how to install it
        server = new TestServer(dir.resolve("data"), Map.of("delivery.key-rotation-segments", "2"));
        api = new Api(server);
        admin = server.register("root"); // the first account administers the instance
        creator = server.register("creator");
        byte[] clip = Files.readAllBytes(server.clip(dir, "clip.mp4", 426, 240, 12));
        protectedVideo = server.upload(clip, creator);
        plainVideo = server.upload(clip, creator);
        ageVideo = server.upload(clip, creator);
        geoVideo = server.upload(clip, creator);
        for (String v : List.of(protectedVideo, plainVideo, ageVideo, geoVideo)) {
            assertThat(server.awaitEnd(v, creator).get("status").asText()).isEqualTo("ready");
        }
        Api.Reply set = api.put("/api/v1/videos/" + protectedVideo + "/playback-settings", "{\"protected\":true}", creator);
        assertThat(set.status()).as(set.raw().body()).isEqualTo(200);
        assertThat(set.json().get("protected").asBoolean()).isTrue();

        chromium = Chromium.launch();
        browser = chromium.browser();
    }

    @AfterAll
    static void stop() {
        if (chromium != null) chromium.close();
        if (server != null) server.close();
    }

    /** Playing for real: enough data, time moving, frames decoded. */
    private static final String PLAYING = """
            () => { const v = document.getElementById('video');
              return v.readyState >= 3 && v.currentTime > 1.5 && v.getVideoPlaybackQuality().totalVideoFrames > 10; }""";

    @Test
    void hlsJsPlaysTheAes128VideoWithRotatingKeys() throws Exception {
        JsonNode playback = server.video(protectedVideo, null).get("playback");
        assertThat(playback.get("hls").asText()).endsWith("/aes/master.m3u8");
        Set<String> keysFetched = ConcurrentHashMap.newKeySet();
        List<String> errors = new CopyOnWriteArrayList<>();
        Page page = browser.newPage();
        // (The related list shows the geo-restricted video's poster, refused with 451 here: not this player's error.)
        page.onConsoleMessage(m -> { if (m.type().equals("error") && !m.text().contains("451")) errors.add(m.text()); });
        page.onResponse(r -> { if (r.url().contains("/keys/hls/") && r.status() == 200) keysFetched.add(r.url()); });
        page.navigate(server.base + "/watch/" + protectedVideo);
        waitUntil(page, PLAYING, Duration.ofSeconds(60));
        assertThat(page.evaluate("() => window.kinoraPlayer.engine")).isEqualTo("hls.js");
        // 12 s in 2 s segments, 2 segments a key: key 0 covers 0-4 s, key 1 4-8 s. Playing on past 4.5 s
        // decodes frames of segment 3, decrypted with the second key.
        Object framesBefore = page.evaluate("() => document.getElementById('video').getVideoPlaybackQuality().totalVideoFrames");
        waitUntil(page, "() => document.getElementById('video').currentTime > 4.5", Duration.ofSeconds(30));
        assertThat(((Number) page.evaluate("() => document.getElementById('video').getVideoPlaybackQuality().totalVideoFrames")).intValue())
                .isGreaterThan(((Number) framesBefore).intValue() + 60);
        assertThat(keysFetched).as("distinct keys fetched").anyMatch(u -> u.endsWith("/keys/hls/0.key")).anyMatch(u -> u.endsWith("/keys/hls/1.key"));
        assertThat(errors).isEmpty();
        page.close();
    }

    @Test
    void dashJsPlaysTheCencVideoThroughClearKeyEme() throws Exception {
        JsonNode playback = server.video(protectedVideo, null).get("playback");
        assertThat(playback.get("dash").asText()).endsWith("/cenc/manifest.mpd");
        List<String> licences = new CopyOnWriteArrayList<>();
        Page page = browser.newPage();
        page.onResponse(r -> { if (r.url().endsWith("/licence")) licences.add(r.status() + " " + r.headers().get("cache-control")); });
        page.navigate(server.base + "/watch/" + protectedVideo + "?player=dash");
        waitUntil(page, PLAYING, Duration.ofSeconds(60));
        assertThat(page.evaluate("() => window.kinoraPlayer.engine")).isEqualTo("dash.js");
        // Real EME: the element has MediaKeys of the ClearKey system, and the licence came from us.
        assertThat(page.evaluate("() => document.getElementById('video').mediaKeys?.constructor.name")).isEqualTo("MediaKeys");
        assertThat(licences).isNotEmpty().allMatch(l -> l.equals("200 private, no-store"));
        page.close();
    }

    @Test
    void shakaPlayerPlaysTheCencVideoThroughClearKeyEmeToo() throws Exception {
        List<String> licences = new CopyOnWriteArrayList<>();
        Page page = browser.newPage();
        page.onResponse(r -> { if (r.url().endsWith("/licence")) licences.add(r.status() + " " + r.headers().get("cache-control")); });
        page.navigate(server.base + "/watch/" + protectedVideo + "?player=shaka");
        waitUntil(page, PLAYING, Duration.ofSeconds(60));
        assertThat(page.evaluate("() => window.kinoraPlayer.engine")).isEqualTo("shaka");
        assertThat(page.evaluate("() => window.kinoraPlayer.shaka.keySystem()")).isEqualTo("org.w3.clearkey");
        assertThat(licences).isNotEmpty().allMatch(l -> l.equals("200 private, no-store"));
        page.close();
    }

    /**
     * The cbcs copy (AES-CBC, pattern 1:9) plays in Chromium through both players, decrypted by its
     * ClearKey CDM. This server gives the default cenc MPD in the video JSON; the watch page is
     * handed the cbcs one as an instance with {@code delivery.dash-encryption-scheme = cbcs} gives it
     * (that choice itself: {@code ConfigLoaderTest}), everything else (MPD, init, segments, licence)
     * is the server's.
     */
    @Test
    void shakaAndDashJsPlayTheCbcsCopyThroughClearKeyEme() throws Exception {
        for (String player : List.of("shaka", "dash")) {
            List<String> licences = new CopyOnWriteArrayList<>();
            Set<String> cbcsFiles = ConcurrentHashMap.newKeySet();
            Page page = browser.newPage();
            page.route(server.base + "/watch/" + protectedVideo + "?player=" + player, route -> {
                var original = route.fetch();
                String html = original.text();
                assertThat(html).contains("/cenc/manifest.mpd");
                route.fulfill(new com.microsoft.playwright.Route.FulfillOptions().setResponse(original)
                        .setBody(html.replace("/cenc/manifest.mpd", "/cbcs/manifest.mpd")));
            });
            page.onResponse(r -> {
                if (r.url().endsWith("/licence")) licences.add(r.status() + " " + r.headers().get("cache-control") + " " + r.request().postData());
                if (r.url().contains("/cbcs/") && r.url().endsWith(".m4s") && r.status() == 200) cbcsFiles.add(r.url());
                if (r.url().contains("/cenc/")) cbcsFiles.add("cenc! " + r.url());
            });
            page.navigate(server.base + "/watch/" + protectedVideo + "?player=" + player);
            waitUntil(page, PLAYING, Duration.ofSeconds(60));
            assertThat(page.evaluate("() => document.getElementById('video').mediaKeys?.constructor.name")).as(player).isEqualTo("MediaKeys");
            String cbcsKid = kidOf(media(server.video(protectedVideo, null).get("playback").get("dash").asText()
                    .replace("/cenc/", "/cbcs/")).body());
            assertThat(licences).as(player).isNotEmpty().allMatch(l -> l.startsWith("200 private, no-store") && l.contains(cbcsKid));
            assertThat(cbcsFiles).as(player + ": video and audio segments of the cbcs copy, nothing of the cenc one")
                    .anyMatch(u -> u.contains("/cbcs/audio/")).anyMatch(u -> u.contains("/cbcs/") && !u.contains("/cbcs/audio/"))
                    .noneMatch(u -> u.startsWith("cenc!"));
            page.close();
        }
    }

    @Test
    void theMpdsSignalTheirSchemeKeyIdAndTheW3cCommonPssh() throws Exception {
        String base = server.video(protectedVideo, null).get("playback").get("dash").asText().replace("cenc/manifest.mpd", "");
        String cenc = media(base + "cenc/manifest.mpd").body();
        String cbcs = media(base + "cbcs/manifest.mpd").body();
        for (String[] m : List.of(new String[] {"cenc", cenc}, new String[] {"cbcs", cbcs})) {
            String mpd = m[1];
            assertThat(mpd).as(m[0]).contains("xmlns:cenc=\"urn:mpeg:cenc:2013\"")
                    .contains("schemeIdUri=\"urn:mpeg:dash:mp4protection:2011\" value=\"" + m[0] + "\" cenc:default_KID=\"")
                    .contains("schemeIdUri=\"urn:uuid:e2719d58-a985-b3c9-781a-b030af78d30e\" value=\"ClearKey1.0\"")
                    .contains("schemeIdUri=\"urn:uuid:1077efec-c0b2-4d02-ace3-3c1e52e2fb4b\" value=\"ClearKey1.0\"><cenc:pssh>");
            // The pssh: version 1, the W3C common system id, one key id: the default_KID.
            byte[] pssh = Base64.getDecoder().decode(mpd.replaceAll("(?s).*<cenc:pssh>([^<]+)</cenc:pssh>.*", "$1"));
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(pssh);
            assertThat(b.getInt()).isEqualTo(pssh.length);
            assertThat(new String(pssh, 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo("pssh");
            assertThat(pssh[8]).isEqualTo((byte) 1);
            assertThat(java.util.HexFormat.of().formatHex(pssh, 12, 28)).isEqualTo("1077efecc0b24d02ace33c1e52e2fb4b");
            assertThat(java.nio.ByteBuffer.wrap(pssh, 28, 4).getInt()).isEqualTo(1);
            assertThat(Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOfRange(pssh, 32, 48))).isEqualTo(kidOf(mpd));
            // Every audio and video AdaptationSet says it, once.
            assertThat(mpd.split("mp4protection:2011", -1).length - 1)
                    .isEqualTo(mpd.split("contentType=\"video\"", -1).length - 1 + mpd.split("contentType=\"audio\"", -1).length - 1);
        }
        assertThat(kidOf(cbcs)).as("cbcs has a key of its own").isNotEqualTo(kidOf(cenc));
        String rung = firstRung(media(base + "aes/master.m3u8").body());
        String init = new String(bytes(base + "cbcs/" + rung + "/init.mp4").body(), java.nio.charset.StandardCharsets.ISO_8859_1);
        // schm 'cbcs'; tenc version 1 with the 1:9 pattern (0x19), protected, no per-sample IV, a 16-byte constant IV.
        assertThat(init).contains("schm\0\0\0\0cbcs").contains("tenc\u0001\0\0\0\0\u0019\u0001\0");
        String audioInit = new String(bytes(base + "cbcs/audio/init.mp4").body(), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(audioInit).contains("enca").contains("tenc\u0001\0\0\0\0\0\u0001\0"); // audio: whole samples, no pattern
        // The licence answers either key id.
        HttpResponse<String> both = licence(base + "licence", "{\"kids\":[\"" + kidOf(cenc) + "\",\"" + kidOf(cbcs) + "\"]}");
        assertThat(TestServer.JSON.readTree(both.body()).get("keys")).hasSize(2);
    }

    /** A player or CDN asking for a byte range of an encrypted file gets that range of the encrypted bytes. */
    @Test
    void protectedFilesAnswerRangesOfTheirEncryptedBytesWithOneEtag() throws Exception {
        String base = server.video(protectedVideo, null).get("playback").get("hls").asText().replace("aes/master.m3u8", "");
        String rung = firstRung(media(base + "aes/master.m3u8").body());
        for (String file : List.of("aes/" + rung + "/seg_00002.m4s", "cbcs/" + rung + "/seg_00002.m4s", "cenc/audio/seg_00001.m4s")) {
            HttpResponse<byte[]> whole = bytes(base + file);
            assertThat(whole.statusCode()).isEqualTo(200);
            int size = whole.body().length;
            String etag = whole.headers().firstValue("ETag").orElseThrow();
            assertThat(whole.headers().firstValue("Accept-Ranges")).hasValue("bytes");
            assertThat(whole.headers().firstValueAsLong("Content-Length")).hasValue(size);
            assertThat(bytes(base + file).headers().firstValue("ETag")).as("the same bytes, the same tag").hasValue(etag);

            HttpResponse<byte[]> part = ranged(base + file, "Range", "bytes=100-1099");
            assertThat(part.statusCode()).as(file).isEqualTo(206);
            assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 100-1099/" + size);
            assertThat(part.headers().firstValueAsLong("Content-Length")).hasValue(1000);
            assertThat(part.headers().firstValue("ETag")).hasValue(etag);
            assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(whole.body(), 100, 1100));
            HttpResponse<byte[]> tail = ranged(base + file, "Range", "bytes=-500");
            assertThat(tail.statusCode()).isEqualTo(206);
            assertThat(tail.body()).isEqualTo(java.util.Arrays.copyOfRange(whole.body(), size - 500, size));
            HttpResponse<byte[]> outside = ranged(base + file, "Range", "bytes=" + size + "-");
            assertThat(outside.statusCode()).isEqualTo(416);
            assertThat(outside.headers().firstValue("Content-Range")).hasValue("bytes */" + size);
            // Revalidation and If-Range: 304 for the current tag; a range of an older copy gets the whole file.
            assertThat(ranged(base + file, "If-None-Match", etag).statusCode()).isEqualTo(304);
            HttpResponse<byte[]> stale = server.http.send(HttpRequest.newBuilder(URI.create(base + file)).header("Range", "bytes=0-9")
                    .header("If-Range", "\"older\"").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(stale.statusCode()).isEqualTo(200);
            assertThat(stale.body()).isEqualTo(whole.body());
            // Last-Modified (the stored file's) and If-Modified-Since, as for clear media.
            String lastModified = whole.headers().firstValue("Last-Modified").orElseThrow();
            assertThat(lastModified).matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
            assertThat(ranged(base + file, "If-Modified-Since", lastModified).statusCode()).isEqualTo(304);
        }

        // The protected manifests follow the clear ones' rules: the master and MPDs a minute once processed
        // (not 2 s forever), rung playlists immutable then; gzip with a weak ETag and Vary; If-Modified-Since.
        for (String manifest : List.of("aes/master.m3u8", "cenc/manifest.mpd", "cbcs/manifest.mpd", "aes/" + rung + "/index.m3u8")) {
            HttpResponse<byte[]> plain = bytes(base + manifest);
            assertThat(plain.statusCode()).as(manifest).isEqualTo(200);
            String cache = plain.headers().firstValue("Cache-Control").orElseThrow();
            if (manifest.endsWith("index.m3u8")) {
                assertThat(cache).as(manifest).isEqualTo("public, max-age=31536000, immutable");
            } else {
                assertThat(cache).as(manifest).startsWith("public, max-age=60,");
            }
            assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
            assertThat(plain.headers().firstValue("Vary")).hasValue("Accept-Encoding");
            HttpResponse<byte[]> zipped = ranged(base + manifest, "Accept-Encoding", "gzip");
            assertThat(zipped.headers().firstValue("Content-Encoding")).as(manifest).hasValue("gzip");
            assertThat(zipped.headers().firstValue("Vary")).hasValue("Accept-Encoding");
            try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(zipped.body()))) {
                assertThat(in.readAllBytes()).as(manifest).isEqualTo(plain.body());
            }
            String weak = zipped.headers().firstValue("ETag").orElseThrow();
            assertThat(weak).isEqualTo("W/" + plain.headers().firstValue("ETag").orElseThrow());
            assertThat(ranged(base + manifest, "If-None-Match", weak).statusCode()).isEqualTo(304);
            String lastModified = plain.headers().firstValue("Last-Modified").orElseThrow();
            assertThat(ranged(base + manifest, "If-Modified-Since", lastModified).statusCode()).as(manifest).isEqualTo(304);
        }
    }

    private static HttpResponse<byte[]> ranged(String url, String header, String value) throws Exception {
        return server.http.send(HttpRequest.newBuilder(URI.create(url)).header(header, value).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void theServedFilesAreEncryptedAndKeysNeedTheGrant() throws Exception {
        JsonNode playback = server.video(protectedVideo, null).get("playback");
        String base = playback.get("hls").asText().replace("aes/master.m3u8", "");
        String token = base.split("/")[4];
        // The clear copies of a protected video are refused; the encrypted ones are served.
        assertThat(media(base + "master.m3u8").statusCode()).isEqualTo(403);
        assertThat(media(base + "manifest.mpd").body()).contains("content_protected");
        String rung = firstRung(media(base + "aes/master.m3u8").body());
        String playlist = media(base + "aes/" + rung + "/index.m3u8").body();
        assertThat(playlist).contains("#EXT-X-KEY:METHOD=AES-128,URI=\"../../keys/hls/0.key\",IV=0x" + "0".repeat(31) + "1")
                .contains("URI=\"../../keys/hls/1.key\"");
        assertThat(playlist.indexOf("#EXT-X-MAP")).isLessThan(playlist.indexOf("#EXT-X-KEY")); // the init segment stays clear

        // The segment decrypts with the key the endpoint gives the grant holder, to exactly the stored bytes.
        HttpResponse<byte[]> key = bytes(base + "keys/hls/0.key");
        assertThat(key.statusCode()).isEqualTo(200);
        assertThat(key.headers().firstValue("Cache-Control")).hasValue("private, no-store");
        assertThat(key.body()).hasSize(16);
        byte[] stored = server.kinora.blobs().open("videos/" + protectedVideo + "/" + rung + "/seg_00001.m4s").readAllBytes();
        byte[] encrypted = bytes(base + "aes/" + rung + "/seg_00001.m4s").body();
        assertThat(encrypted).isNotEqualTo(stored);
        Cipher cbc = Cipher.getInstance("AES/CBC/PKCS5Padding");
        byte[] iv = new byte[16];
        iv[15] = 1;
        cbc.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key.body(), "AES"), new IvParameterSpec(iv));
        assertThat(cbc.doFinal(encrypted)).isEqualTo(stored);
        // Keys rotate: the third segment's key is another one.
        assertThat(bytes(base + "keys/hls/1.key").body()).isNotEqualTo(key.body());

        // Without a valid grant: no key, no licence.
        String forged = base.replace(token, token.substring(0, token.lastIndexOf('.') + 1) + "AAAAAAAAAAAAAAAAAAAAAA");
        assertThat(bytes(forged + "keys/hls/0.key").statusCode()).isEqualTo(403);
        String kid = kidOf(media(base + "cenc/manifest.mpd").body());
        String request = "{\"kids\":[\"" + kid + "\"],\"type\":\"temporary\"}";
        assertThat(licence(forged + "licence", request).statusCode()).isEqualTo(403);
        HttpResponse<String> granted = licence(base + "licence", request);
        assertThat(granted.statusCode()).as(granted.body()).isEqualTo(200);
        assertThat(granted.headers().firstValue("Cache-Control")).hasValue("private, no-store");
        JsonNode keys = TestServer.JSON.readTree(granted.body()).get("keys");
        assertThat(keys.get(0).get("kid").asText()).isEqualTo(kid);
        assertThat(keys.get(0).get("kty").asText()).isEqualTo("oct");
        assertThat(licence(base + "licence", "{\"kids\":[\"AAAAAAAAAAAAAAAAAAAAAA\"]}").statusCode()).isEqualTo(400);
        // The CENC segment is not the stored one either, but its init says how it is protected.
        byte[] cencInit = bytes(base + "cenc/" + rung + "/init.mp4").body();
        assertThat(new String(cencInit, java.nio.charset.StandardCharsets.ISO_8859_1)).contains("encv", "sinf", "tenc", "pssh");
        assertThat(bytes(base + "cenc/" + rung + "/seg_00001.m4s").body()).isNotEqualTo(stored);

        // A video that is not protected has no protected copies nor keys.
        String plainBase = server.video(plainVideo, null).get("playback").get("hls").asText().replace("master.m3u8", "");
        assertThat(server.video(plainVideo, null).get("playback").get("clearkey_license_url").isNull()).isTrue();
        assertThat(bytes(plainBase + "keys/hls/0.key").statusCode()).isEqualTo(404);
        assertThat(licence(plainBase + "licence", request).statusCode()).isEqualTo(404);
    }

    @Test
    void theShippedCdnTiersCacheTheEncryptedSegmentsButNeverAKeyOrLicence() throws Exception {
        NginxTier.nginx(); // fails with the fix when nginx is missing
        byte[] playbackKey = org.kinora.server.auth.Secrets.load(java.util.Optional.of(TestServer.SECRET), dir.resolve("secrets"))
                .derive(org.kinora.server.playback.PlaybackTokens.KEY_PURPOSE);
        Path keyFile = dir.resolve("playback.key");
        Files.writeString(keyFile, Base64.getEncoder().encodeToString(playbackKey) + "\n");
        try (NginxTier shield = NginxTier.start("shield", dir, server.kinora.port(), keyFile);
             NginxTier edge = NginxTier.start("edge", dir, shield.port, keyFile)) {
            String base = server.video(protectedVideo, null).get("playback").get("hls").asText()
                    .replace("aes/master.m3u8", "").replace(server.base, edge.base());
            String rung = firstRung(media(base + "aes/master.m3u8").body());
            for (int i = 0; i < 3; i++) {
                HttpResponse<byte[]> key = bytes(base + "keys/hls/0.key");
                assertThat(key.statusCode()).isEqualTo(200);
                assertThat(key.body()).hasSize(16);
                assertThat(key.headers().firstValue("Cache-Control")).hasValue("private, no-store");
                assertThat(bytes(base + "aes/" + rung + "/seg_00001.m4s").statusCode()).isEqualTo(200);
            }
            String kid = kidOf(media(base + "cenc/manifest.mpd").body());
            assertThat(licence(base + "licence", "{\"kids\":[\"" + kid + "\"]}").statusCode()).isEqualTo(200);
            // Every key and licence request went through both tiers to the origin; the segment once.
            for (NginxTier tier : List.of(edge, shield)) {
                // nginx writes a request's line once it has answered it, so the client can be ahead of the shield's log: wait for the last request's line.
                Api.await(Duration.ofSeconds(5), () -> tier.log().stream().anyMatch(l -> l.uri().endsWith("/licence")));
                var lines = tier.log();
                assertThat(lines.stream().filter(l -> l.uri().contains("/keys/hls/") && l.reachedUpstream()).count()).as(tier + " keys").isEqualTo(3);
                assertThat(lines.stream().filter(l -> l.uri().endsWith("/licence") && l.reachedUpstream()).count()).as(tier + " licences").isEqualTo(1);
                assertThat(lines.stream().filter(l -> l.uri().endsWith("/aes/" + rung + "/seg_00001.m4s") && l.reachedUpstream()).count())
                        .as(tier + " segment").isEqualTo(1);
            }
            String token = base.split("/")[4];
            String forged = base.replace(token, token.substring(0, token.lastIndexOf('.') + 1) + "AAAAAAAAAAAAAAAAAAAAAA");
            assertThat(bytes(forged + "keys/hls/0.key").statusCode()).isEqualTo(403);
        }
    }

    @Test
    void ageRestrictedVideosPlayOnlyForSignedInAdults() throws Exception {
        String video = ageVideo;
        String before = server.video(video, null).get("playback").get("hls").asText(); // minted while unrestricted
        // A wrong date of birth at sign-up is refused before anything is created.
        Api.Reply bad = api.post("/api/v1/auth/register",
                "{\"username\":\"adult\",\"email\":\"adult@example.org\",\"password\":\"correct horse\",\"birth_date\":\"3000-01-01\"}", null);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.code()).isEqualTo("invalid_birth_date");
        assertThat(api.post("/api/v1/auth/register",
                "{\"username\":\"adult\",\"email\":\"adult@example.org\",\"password\":\"correct horse\",\"birth_date\":\"1990-04-23\"}", null).status())
                .isEqualTo(201);
        String adult = token("adult");
        String child = server.register("child");
        assertThat(api.put("/api/v1/me/birth-date", "{\"birth_date\":\"" + java.time.LocalDate.now().minusYears(12) + "\"}", child).status()).isEqualTo(200);
        String noBirthDate = server.register("nobirth");
        assertThat(api.ok("/api/v1/me/birth-date", adult).get("adult").asBoolean()).isTrue();

        assertThat(api.put("/api/v1/videos/" + video + "/playback-settings", "{\"age_restricted\":true}", creator).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/videos/" + video, null).code()).isEqualTo("age_restricted_sign_in");
        assertThat(api.get("/api/v1/videos/" + video, null).status()).isEqualTo(403);
        assertThat(api.get("/api/v1/videos/" + video, noBirthDate).code()).isEqualTo("age_restricted_birth_date_missing");
        assertThat(api.get("/api/v1/videos/" + video, child).code()).isEqualTo("age_restricted_too_young");
        JsonNode forAdult = api.ok("/api/v1/videos/" + video, adult);
        assertThat(media(forAdult.get("playback").get("hls").asText()).statusCode()).isEqualTo(200);
        assertThat(api.ok("/api/v1/videos/" + video, creator).get("playback").get("hls").isTextual()).isTrue(); // the owner
        // The link minted for an anonymous viewer before the restriction stops working at the origin.
        HttpResponse<String> old = media(before);
        assertThat(old.statusCode()).isEqualTo(403);
        assertThat(old.body()).contains("age_restricted_sign_in");

        // The watch page (anonymous) explains it, with no playback link in the page at all.
        Page page = browser.newPage();
        page.navigate(server.base + "/watch/" + video);
        page.waitForSelector("#player-error:not([hidden])");
        assertThat(page.getAttribute("#player-error", "data-code")).isEqualTo("age_restricted_sign_in");
        assertThat(page.textContent("#player-error")).contains("18 or older").contains("Sign in");
        assertThat(page.content()).as("no playback link of this video").doesNotContain("/" + video + "/");
        page.close();

        // A moderator's age restriction is enforced too, whatever the creator sets.
        assertThat(api.put("/api/v1/videos/" + video + "/playback-settings", "{\"age_restricted\":false}", creator).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/videos/" + video, null).status()).isEqualTo(200);
        String mod = server.register("mod");
        assertThat(api.patch("/api/v1/admin/users/" + api.userId(mod), "{\"role\":\"moderator\"}", admin).status()).isEqualTo(200);
        assertThat(api.post("/api/v1/admin/moderation/actions", "{\"kind\":\"video\",\"item_id\":\"" + video
                + "\",\"action\":\"age_restrict\",\"reason\":\"Graphic.\"}", mod).status()).isEqualTo(201);
        Api.await(Duration.ofSeconds(5), () -> api.get("/api/v1/videos/" + video, null).status() == 403);
        assertThat(api.get("/api/v1/videos/" + video, child).code()).isEqualTo("age_restricted_too_young");
        assertThat(api.ok("/api/v1/videos/" + video + "/playback-settings", creator).get("age_restricted_by_moderator").asBoolean()).isTrue();
        assertThat(api.get("/api/v1/videos/" + video, adult).status()).isEqualTo(200);
    }

    @Test
    void dashJsShowsTheRefusalInsteadOfABlankPlayer() throws Exception {
        // Playable only in France; the test client's address has no country: 451 from the origin.
        String video = geoVideo;
        assertThat(api.put("/api/v1/videos/" + video + "/country-rules", "{\"allowed_countries\":[\"FR\"],\"blocked_countries\":[]}", creator)
                .status()).isEqualTo(200);
        Page page = browser.newPage();
        page.navigate(server.base + "/watch/" + video + "?player=dash");
        page.waitForSelector("#player-error:not([hidden])", new Page.WaitForSelectorOptions().setTimeout(30_000));
        String manifest = server.video(video, creator).get("playback").get("dash").asText();
        String reason = TestServer.JSON.readTree(media(manifest).body()).get("message").asText();
        assertThat(page.textContent("#player-error")).isEqualTo(reason);
        page.close();
    }

    private static String token(String username) throws Exception {
        HttpResponse<String> t = server.post("/api/v1/auth/token", "{\"username\":\"" + username + "\",\"password\":\"correct horse\"}", null);
        return TestServer.JSON.readTree(t.body()).get("access_token").asText();
    }

    private static String firstRung(String master) {
        for (String line : master.split("\n")) if (line.endsWith("/index.m3u8") && !line.startsWith("#")) return line.substring(0, line.indexOf('/'));
        throw new AssertionError("no rung in " + master);
    }

    private static String kidOf(String mpd) {
        String uuid = mpd.replaceAll("(?s).*cenc:default_KID=\"([0-9a-f-]{36})\".*", "$1").replace("-", "");
        return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.HexFormat.of().parseHex(uuid));
    }

    private static HttpResponse<String> media(String url) throws Exception {
        return server.send(HttpRequest.newBuilder(URI.create(url)));
    }

    private static HttpResponse<byte[]> bytes(String url) throws Exception {
        return server.http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<String> licence(String url, String body) throws Exception {
        return server.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json"));
    }

    static void waitUntil(Page page, String condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Boolean.TRUE.equals(page.evaluate(condition))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for playback; state: " + page.evaluate("""
                        () => { const v = document.getElementById('video'); return JSON.stringify({ rs: v.readyState, t: v.currentTime,
                          frames: v.getVideoPlaybackQuality().totalVideoFrames, err: v.error && v.error.message,
                          shown: document.getElementById('player-error').textContent }); }"""));
            }
            page.waitForTimeout(200);
        }
    }
}
