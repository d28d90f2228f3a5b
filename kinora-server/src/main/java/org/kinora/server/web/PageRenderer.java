package org.kinora.server.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kinora.core.account.Role;

/**
 * Renders the HTML shell every page shares: head, header bar, the page's own markup from
 * {@code web/pages/*.html}, its data as JSON and its scripts. Pages fill in from the API in the
 * browser; what a link preview or a screen reader needs first (title, Open Graph, labels) is here.
 */
public final class PageRenderer {
    private static final Pattern SLOT = Pattern.compile("\\{\\{([a-z_]+)}}");
    private static final Pattern INCLUDE = Pattern.compile("\\{\\{>([a-z-]+)}}");
    private static final String VENDOR = "/static/vendor/";

    private final ObjectMapper json;
    private final String layout;
    private final Map<String, String> fragments = new ConcurrentHashMap<>();
    private final String version = Long.toString(System.currentTimeMillis(), 36);
    private final String mediaOrigin;

    public PageRenderer(ObjectMapper json, Optional<String> publicUrl) {
        this.json = json;
        this.layout = resource("web/layout.html");
        this.mediaOrigin = publicUrl.map(PageRenderer::origin).orElse("");
    }

    /** The browser libraries a page can ask for. */
    enum Library {
        HLS(VENDOR + "hls.js/dist/hls.min.js"),
        DASH(VENDOR + "dashjs/dist/dash.all.min.js"),
        SHAKA(VENDOR + "shaka-player/dist/shaka-player.compiled.js"),
        TUS(VENDOR + "tus-js-client/dist/tus.min.js"),
        UPLOT(VENDOR + "uplot/dist/uPlot.iife.min.js");

        final String path;

        Library(String path) {
            this.path = path;
        }
    }

    /** Who is signed in, for the header: moderators and admins get links to the admin pages. */
    public record Viewer(String id, String username, Role role) {
        public Viewer(String id, String username) {
            this(id, username, Role.USER);
        }
    }

    /**
     * One page. {@code fragment} names {@code web/pages/<fragment>.html}; {@code slots} fill its
     * {@code {{name}}} markers, escaped. {@code head} is trusted markup built by the caller with
     * escaped values.
     */
    record Page(String title, String fragment, Map<String, String> slots, String module, List<Library> libraries,
                Map<String, Object> data, String head, boolean bare) {}

    String render(Page page, Optional<Viewer> viewer) {
        String main = fill(fragment(page.fragment()), page.slots(), true);
        StringBuilder scripts = new StringBuilder();
        for (Library lib : page.libraries()) {
            scripts.append("<script defer src=\"").append(lib.path).append("\"></script>\n");
        }
        scripts.append("<script type=\"module\" src=\"/static/js/").append(page.module()).append(".js?v=")
                .append(version).append("\"></script>");
        if (viewer.isPresent() && !page.bare()) { // the notifications bell in the header
            scripts.append("\n<script type=\"module\" src=\"/static/js/bell.js?v=").append(version).append("\"></script>");
        }
        Map<String, Object> data = new java.util.HashMap<>(page.data());
        data.put("user", viewer.orElse(null));
        return fill(layout, Map.of(
                "title", Html.escape(page.title()),
                "head", page.head() == null ? "" : page.head(),
                "body_class", page.bare() ? "bare" : "",
                "header", page.bare() ? "" : header(viewer, page.slots().getOrDefault("query", "")),
                "main", main,
                "data", jsonForScript(data),
                "scripts", scripts.toString(),
                "version", version), false);
    }

    /**
     * The Content-Security-Policy for pages: our own scripts only, media from here (or from the
     * configured public URL), and framing only by ourselves unless the page is an embed.
     */
    String contentSecurityPolicy(boolean embeddable) {
        String media = mediaOrigin.isEmpty() ? "" : " " + mediaOrigin;
        return "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:" + media
                + "; media-src 'self' blob:" + media + "; connect-src 'self'" + media
                + "; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors "
                + (embeddable ? "*" : "'self'");
    }

    private String header(Optional<Viewer> viewer, String query) {
        String account = viewer.map(v -> """
                <a class="button primary upload-link" href="/upload">Upload</a>
                <div class="bell" id="bell">
                  <button type="button" class="icon-button" id="bell-button" aria-label="Notifications" aria-expanded="false"
                          aria-controls="bell-panel"><svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1z"/></svg><span class="bell-count" id="bell-count" hidden>0</span></button>
                  <div class="bell-panel card" id="bell-panel" hidden>
                    <div class="bell-head"><strong>Notifications</strong>
                      <button type="button" class="link-button" id="bell-read-all">Mark all read</button></div>
                    <ul class="bell-list" id="bell-list" aria-live="polite"></ul>
                    <p class="muted bell-empty" id="bell-empty" hidden>No notifications yet.</p>
                  </div>
                </div>
                <details class="menu" id="account-menu">
                  <summary class="menu-button" aria-label="Account menu"><span class="avatar small" aria-hidden="true">%s</span><span class="user" title="Signed in">%s</span></summary>
                  <div class="menu-panel card">
                    <a href="/channel/%s">Your channel</a>
                    <a href="/studio">Studio</a>
                    <a href="/feed/subscriptions">Subscriptions</a>
                    <a href="/playlists">Playlists</a>
                    <a href="/history">History</a>%s
                    <button type="button" class="link-button" id="sign-out">Sign out</button>
                  </div>
                </details>""".formatted(Html.escape(initial(v.username())), Html.escape(v.username()), Html.escape(v.id()),
                        v.role().canModerate() ? """

                    <a href="/admin" id="admin-link">Administration</a>
                    <a href="/admin/moderation" id="moderation-link">Moderation queue</a>""" : ""))
                .orElse("""
                <a class="button ghost" href="/signup">Sign up</a>
                <a class="button primary" href="/signin">Sign in</a>""");
        return fill(fragment("header"), Map.of("account", account, "query", Html.escape(query)), false);
    }

    private static String initial(String name) {
        return name == null || name.isEmpty() ? "?" : name.substring(0, name.offsetByCodePoints(0, 1)).toUpperCase(java.util.Locale.ROOT);
    }

    /** A page fragment with its {@code {{>other}}} includes (markup shared by pages) expanded. */
    private String fragment(String name) {
        return fragments.computeIfAbsent(name, n -> {
            Matcher m = INCLUDE.matcher(resource("web/pages/" + n + ".html"));
            StringBuilder out = new StringBuilder();
            while (m.find()) m.appendReplacement(out, Matcher.quoteReplacement(resource("web/pages/" + m.group(1) + ".html")));
            m.appendTail(out);
            return out.toString();
        });
    }

    private static String fill(String template, Map<String, String> slots, boolean escape) {
        Matcher m = SLOT.matcher(template);
        StringBuilder out = new StringBuilder(template.length() + 256);
        while (m.find()) {
            String value = slots.get(m.group(1));
            if (value == null) throw new IllegalArgumentException("page slot {{" + m.group(1) + "}} has no value");
            m.appendReplacement(out, Matcher.quoteReplacement(escape ? Html.escape(value) : value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** JSON that is safe inside a script element: no "</script>" or comment openers survive. */
    private String jsonForScript(Object value) {
        try {
            return json.writeValueAsString(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("page data is not serialisable", e);
        }
    }

    private static String origin(String url) {
        URI u = URI.create(url);
        return u.getScheme() + "://" + u.getRawAuthority();
    }

    private static String resource(String path) {
        try (InputStream in = PageRenderer.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("missing resource " + path);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
