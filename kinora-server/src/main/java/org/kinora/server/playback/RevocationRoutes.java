package org.kinora.server.playback;

import static org.kinora.server.http.Doc.doc;

import org.kinora.server.http.Api;
import org.kinora.server.http.Routes;

/**
 * {@code GET /api/v1/playback/revocations}: the videos edges and shields must no longer serve
 * from their caches (deploy/nginx/cdn). Each tier caches it for one second, so the origin answers
 * it about once a second per shield. It names only ids of videos that were playable before.
 */
final class RevocationRoutes implements Routes {
    private final RevocationList list;

    RevocationRoutes(RevocationList list) {
        this.list = list;
    }

    @Override
    public void register(Api app) {
        app.get("/api/v1/playback/revocations", doc("Videos whose cached media edges must pass by (one id a line), for CDN tiers"), ctx -> {
            ctx.header("Cache-Control", "public, max-age=1");
            ctx.contentType("text/plain; charset=utf-8");
            ctx.result(list.body());
        });
    }
}
