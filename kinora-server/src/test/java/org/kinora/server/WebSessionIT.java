package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The web session cookie and the page routes, over plain HTTP: cookies, forgery checks, redirects, oEmbed. */
@Timeout(180)
class WebSessionIT {
    @TempDir
    static Path dir;
    static TestServer server;
    static String cookie;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(dir.resolve("data"), Map.of());
        server.register("dora");
        HttpResponse<String> r = server.post("/api/v1/auth/session", "{\"username\":\"dora\",\"password\":\"correct horse\"}", null);
        assertThat(r.statusCode()).isEqualTo(200);
        String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).contains("HttpOnly").contains("SameSite=Lax").contains("Path=/").contains("Max-Age=2592000");
        cookie = setCookie.substring(0, setCookie.indexOf(';'));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(server.base + path));
    }

    @Test
    void theCookieSignsInPagesAndTheApi() throws Exception {
        HttpResponse<String> me = server.send(request("/api/v1/auth/me").header("Cookie", cookie));
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(TestServer.JSON.readTree(me.body()).get("username").asText()).isEqualTo("dora");
        HttpResponse<String> studio = server.send(request("/studio").header("Cookie", cookie));
        assertThat(studio.statusCode()).isEqualTo(200);
        assertThat(studio.body()).contains("<span class=\"user\" title=\"Signed in\">dora</span>");
        assertThat(studio.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("script-src 'self'")
                .contains("frame-ancestors 'self'");
    }

    @Test
    void aChangeSentWithTheCookieFromAnotherSiteIsRefused() throws Exception {
        String body = "{\"title\":\"x\"}";
        HttpResponse<String> forged = server.send(request("/api/v1/videos/AAAAAAAAAAA")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json")
                .header("Cookie", cookie).header("Origin", "https://evil.example"));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(TestServer.JSON.readTree(forged.body()).get("code").asText()).isEqualTo("cross_site_request");
        HttpResponse<String> noOrigin = server.send(request("/api/v1/auth/session").DELETE().header("Cookie", cookie));
        assertThat(noOrigin.statusCode()).as("no Origin and no Sec-Fetch-Site: not provably ours").isEqualTo(403);
        HttpResponse<String> sameSite = server.send(request("/api/v1/videos/AAAAAAAAAAA")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json")
                .header("Cookie", cookie).header("Sec-Fetch-Site", "same-origin"));
        assertThat(sameSite.statusCode()).as("passes the check, then finds no such video").isEqualTo(404);
    }

    @Test
    void aForgedOrExpiredCookieIsSignedOutNotAnError() throws Exception {
        HttpResponse<String> home = server.send(request("/").header("Cookie", "kinora_session=forged.token.value"));
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).contains("href=\"/signin\"");
        HttpResponse<String> me = server.send(request("/api/v1/auth/me").header("Cookie", "kinora_session=forged.token.value"));
        assertThat(me.statusCode()).isEqualTo(401);
        assertThat(TestServer.JSON.readTree(me.body()).get("code").asText()).isEqualTo("session_expired");
    }

    @Test
    void signOutClearsTheCookie() throws Exception {
        // A session of its own: signing out ends it on the server, and the other tests keep theirs.
        HttpResponse<String> in = server.post("/api/v1/auth/session", "{\"username\":\"dora\",\"password\":\"correct horse\"}", null);
        String own = in.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        HttpResponse<String> out = server.send(request("/api/v1/auth/session").DELETE().header("Cookie", own)
                .header("Origin", server.base));
        assertThat(out.statusCode()).isEqualTo(204);
        assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).startsWith("kinora_session=;").contains("Max-Age=0");
    }

    @Test
    void signedOutPagesRedirectToSignInAndNeverOffSite() throws Exception {
        HttpResponse<String> upload = server.send(request("/upload"));
        assertThat(upload.statusCode()).isEqualTo(302);
        assertThat(upload.headers().firstValue("Location").orElseThrow()).endsWith("/signin?next=%2Fupload");
        for (String path : new String[] {"/studio", "/playlists", "/history", "/feed/subscriptions"}) {
            HttpResponse<String> r = server.send(request(path));
            assertThat(r.statusCode()).as(path).isEqualTo(302);
            assertThat(r.headers().firstValue("Location").orElseThrow()).endsWith("/signin?next=" + URLEncoder.encode(path, StandardCharsets.UTF_8));
        }
        HttpResponse<String> offSite = server.send(request("/signin?next=//evil.example/").header("Cookie", cookie));
        assertThat(offSite.statusCode()).isEqualTo(302);
        assertThat(offSite.headers().firstValue("Location").orElseThrow()).isEqualTo("/");
    }

    @Test
    void unknownPagesAreAnHtmlNotFoundForBrowsersAndJsonForTheApi() throws Exception {
        HttpResponse<String> page = server.send(request("/watch/AAAAAAAAAAA").header("Accept", "text/html"));
        assertThat(page.statusCode()).isEqualTo(404);
        assertThat(page.body()).contains("This isn't available");
        HttpResponse<String> channel = server.send(request("/channel/@nobody-here").header("Accept", "text/html"));
        assertThat(channel.statusCode()).isEqualTo(404);
        assertThat(channel.body()).contains("This isn't available");
        HttpResponse<String> api = server.send(request("/api/v1/nothing").header("Accept", "text/html,application/json"));
        assertThat(api.statusCode()).isEqualTo(404);
        assertThat(TestServer.JSON.readTree(api.body()).get("code").asText()).isEqualTo("not_found");
    }

    @Test
    void oEmbedRefusesWhatItCannotDescribe() throws Exception {
        String url = URLEncoder.encode(server.base + "/watch/AAAAAAAAAAA", StandardCharsets.UTF_8);
        assertThat(server.get("/oembed?url=" + url, null).statusCode()).isEqualTo(404);
        assertThat(server.get("/oembed?format=xml&url=" + url, null).statusCode()).isEqualTo(501);
        HttpResponse<String> missing = server.get("/oembed", null);
        assertThat(missing.statusCode()).isEqualTo(400);
        JsonNode error = TestServer.JSON.readTree(missing.body());
        assertThat(error.get("code").asText()).isEqualTo("missing_url");
    }
}
