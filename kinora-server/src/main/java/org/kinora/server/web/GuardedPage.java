package org.kinora.server.web;

import static org.kinora.server.http.Doc.doc;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.kinora.core.account.AccountAdminService;
import org.kinora.core.account.AccountService;
import org.kinora.server.http.Api;
import org.kinora.server.http.Authenticator;
import org.kinora.server.http.Json;
import org.kinora.server.http.Routes;
import org.kinora.server.web.PageRenderer.Page;
import org.kinora.server.web.PageRenderer.Viewer;

/**
 * A page of another capability that only some signed-in people may open (the moderation queue
 * for moderators): signed out, it sends them to sign in and back; not allowed, it answers 403
 * with a page that says so. {@code hls}: the page plays video with hls.js.
 */
public final class GuardedPage implements Routes {
    private final PageRenderer pages;
    private final AccountService accounts;
    private final AccountAdminService roles;
    private final Authenticator auth;
    private final String path;
    private final String summary;
    private final String title;
    private final String name;
    private final boolean hls;
    private final Predicate<String> allowed;

    public GuardedPage(Optional<String> publicUrl, AccountService accounts, AccountAdminService roles, Authenticator auth, String path,
                       String summary, String title, String name, boolean hls, Predicate<String> allowed) {
        this.pages = new PageRenderer(Json.mapper(), publicUrl);
        this.accounts = accounts;
        this.roles = roles;
        this.auth = auth;
        this.path = path;
        this.summary = summary;
        this.title = title;
        this.name = name;
        this.hls = hls;
        this.allowed = allowed;
    }

    @Override
    public void register(Api app) {
        app.get(path, doc(summary), ctx -> {
            Optional<Viewer> viewer = new Viewers(auth, accounts, roles).of(ctx);
            if (viewer.isEmpty()) {
                ctx.redirect("/signin?next=" + URLEncoder.encode(ctx.path(), StandardCharsets.UTF_8));
                return;
            }
            ctx.header("Content-Security-Policy", pages.contentSecurityPolicy(false));
            ctx.header("Cache-Control", "private, no-store");
            ctx.header("Referrer-Policy", "strict-origin-when-cross-origin");
            if (!allowed.test(viewer.get().id())) {
                ctx.status(403);
                ctx.html(pages.render(new Page("Not allowed · Kinora", "forbidden", Map.of(), "app", List.of(), Map.of(), null, false), viewer));
                return;
            }
            ctx.html(pages.render(new Page(title + " · Kinora", name, Map.of(), name, hls ? List.of(PageRenderer.Library.HLS) : List.of(),
                    Map.of(), null, false), viewer));
        });
    }
}
