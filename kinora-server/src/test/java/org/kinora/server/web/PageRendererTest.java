package org.kinora.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kinora.server.http.Json;
import org.kinora.server.web.PageRenderer.Library;
import org.kinora.server.web.PageRenderer.Page;
import org.kinora.server.web.PageRenderer.Viewer;
import org.kinora.core.account.Role;

@Timeout(60)
class PageRendererTest {
    private final PageRenderer pages = new PageRenderer(Json.mapper(), Optional.of("https://cdn.example.org/base"));

    private String watch(String title, String description, Map<String, Object> data) {
        Map<String, String> slots = Map.of("title", title, "channel", "<i>chan</i>", "description", description,
                "watch_url", "https://kinora.example/watch/abc", "channel_url", "/channel/@chan");
        return pages.render(new Page(title, "watch", slots, "watch", List.of(Library.HLS), data, null, false),
                Optional.of(new Viewer("u1", "<script>alert(1)</script>")));
    }

    @Test
    void textFromPeopleIsEscapedEverywhereItLands() {
        String html = watch("<img src=x onerror=alert(1)>", "\"quoted\" & 'single'", Map.of());
        assertThat(html).doesNotContain("<img src=x").contains("&lt;img src=x onerror=alert(1)&gt;");
        assertThat(html).contains("&quot;quoted&quot; &amp; &#39;single&#39;");
        assertThat(html).doesNotContain("<script>alert(1)</script>").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(html).contains("&lt;i&gt;chan&lt;/i&gt;");
    }

    @Test
    void pageDataCannotCloseItsScriptElement() {
        String html = watch("t", "d", Map.of("video", Map.of("title", "</script><script>alert(1)</script>")));
        String data = html.substring(html.indexOf("id=\"page-data\">"), html.indexOf("</script>", html.indexOf("id=\"page-data\">")));
        assertThat(data).contains("\\u003c/script\\u003e").doesNotContain("<script>alert");
    }

    @Test
    void sharedMarkupIsIncludedAndLibrariesComeBeforeThePageModule() {
        String html = watch("t", "d", Map.of());
        assertThat(html).doesNotContain("{{").contains("id=\"seek-bar\"").contains("id=\"quality\"");
        assertThat(html.indexOf("/static/vendor/hls.js/dist/hls.min.js")).isLessThan(html.indexOf("/static/js/watch.js"));
    }

    @Test
    void theNotificationsBellIsOnlyForSignedInPeople() {
        String signedIn = watch("t", "d", Map.of());
        assertThat(signedIn).contains("id=\"bell-button\"").contains("/static/js/bell.js").contains("href=\"/channel/u1\"");
        String anonymous = pages.render(new Page("t", "home", Map.of(), "home", List.of(), Map.of(), null, false), Optional.empty());
        assertThat(anonymous).doesNotContain("bell-button").doesNotContain("bell.js").contains("href=\"/signin\"");
        String embed = pages.render(new Page("t", "embed", Map.of("title", "t", "watch_url", "u"), "watch", List.of(), Map.of(), null, true),
                Optional.of(new Viewer("u1", "alice")));
        assertThat(embed).doesNotContain("bell-button").doesNotContain("bell.js");
    }

    @Test
    void theHeaderLinksModeratorsAndAdminsAloneToTheAdminPages() {
        Page home = new Page("t", "home", Map.of(), "home", List.of(), Map.of(), null, false);
        for (Role staff : List.of(Role.MODERATOR, Role.ADMIN)) {
            assertThat(pages.render(home, Optional.of(new Viewer("u1", "alice", staff))))
                    .contains("<a href=\"/admin\" id=\"admin-link\">").contains("<a href=\"/admin/moderation\" id=\"moderation-link\">");
        }
        assertThat(pages.render(home, Optional.of(new Viewer("u1", "alice", Role.USER)))).doesNotContain("href=\"/admin");
        assertThat(pages.render(home, Optional.empty())).doesNotContain("href=\"/admin");
    }

    @Test
    void theContentSecurityPolicyAllowsOnlyOurScriptsAndTheMediaOrigin() {
        assertThat(pages.contentSecurityPolicy(false)).contains("script-src 'self';").contains("media-src 'self' blob: https://cdn.example.org;")
                .endsWith("frame-ancestors 'self'");
        assertThat(pages.contentSecurityPolicy(true)).endsWith("frame-ancestors *");
    }

    @Test
    void signInRedirectsOnlyToPathsOnThisSite() {
        assertThat(WebRoutes.safeNext("/studio")).isEqualTo("/studio");
        assertThat(WebRoutes.safeNext("//evil.example/x")).isEqualTo("/");
        assertThat(WebRoutes.safeNext("/\\evil.example")).isEqualTo("/");
        assertThat(WebRoutes.safeNext("https://evil.example")).isEqualTo("/");
        assertThat(WebRoutes.safeNext(null)).isEqualTo("/");
    }
}
