package org.kinora.server.cors;

import org.kinora.server.feature.Contributions;
import org.kinora.server.feature.Feature;
import org.kinora.server.feature.Platform;

/**
 * Cross-origin access (issue 13): pages on the configured origins may call the API and upload with
 * tus using a bearer token ({@link ApiCors}); players anywhere may fetch media, with headers such
 * as CMCD, and time it ({@link MediaCors}). Registered right after the request-safety filters, so a
 * preflight is answered before rate limits and idempotency see it.
 */
public record CorsFeature(Platform p) implements Feature {
    @Override
    public void contribute(Contributions c) {
        c.routes(new ApiCors(p.config().cors()), new MediaCors());
    }
}
