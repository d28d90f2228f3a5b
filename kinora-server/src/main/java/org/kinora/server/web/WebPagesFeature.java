package org.kinora.server.web;

import org.kinora.server.feature.Contributions;
import org.kinora.server.feature.Feature;
import org.kinora.server.feature.Platform;
import org.kinora.server.feature.SharedServices;
import org.kinora.server.http.Json;

/** The web pages (server-rendered shells whose scripts call the API) and oEmbed. */
public record WebPagesFeature(Platform p, SharedServices shared) implements Feature {
    @Override
    public void contribute(Contributions c) {
        c.routes(new WebRoutes(new PageRenderer(Json.mapper(), p.config().mediaOrigin()), shared.videos, shared.videoViews,
                shared.accounts, shared.channels, shared.auth, new Viewers(shared.auth, shared.accounts, shared.accountAdmin)));
    }
}
