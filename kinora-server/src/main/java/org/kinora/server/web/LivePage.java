package org.kinora.server.web;

import static org.kinora.server.http.Doc.doc;

import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kinora.server.feature.Platform;
import org.kinora.server.feature.SharedServices;
import org.kinora.server.http.Api;
import org.kinora.server.http.Json;
import org.kinora.server.web.PageRenderer.Library;
import org.kinora.server.web.PageRenderer.Page;
import org.kinora.server.web.PageRenderer.Viewer;

/**
 * The page of a live ({@code /live/{id}}): its own fragment and module (live.html, live.js), the
 * hls.js player in low-latency mode. Kept apart from the watch page, which other work changes.
 */
public final class LivePage {
    private LivePage() {}

    /** The route of the page. */
    public record Routes(Platform p, SharedServices shared) implements org.kinora.server.http.Routes {
        @Override
        public void register(Api app) {
            PageRenderer pages = new PageRenderer(Json.mapper(), p.config().mediaOrigin());
            app.get("/live/{id}", doc("Page: watch a live"), ctx -> {
                String id = ctx.pathParam("id");
                // A live's id, or "@handle": the channel's permanent live page (the same URL for every live of the channel).
                if (!id.matches("@?[A-Za-z0-9_-]{1,64}")) {
                    ctx.status(404).html(pages.render(new Page("Not found · Kinora", "not-found", Map.of(), "app", List.of(), Map.of(), null, false),
                            viewer(ctx)));
                    return;
                }
                ctx.header("Content-Security-Policy", pages.contentSecurityPolicy(false));
                ctx.header("Cache-Control", "private, no-store");
                ctx.html(pages.render(new Page("Live · Kinora", "live", Map.of(), "live", List.of(Library.HLS), Map.of("live_id", id), null, false),
                        viewer(ctx)));
            });
        }

        private Optional<Viewer> viewer(Context ctx) {
            return new Viewers(shared.auth, shared.accounts, shared.accountAdmin).of(ctx);
        }
    }
}
