package org.kinora.server.http;

import org.kinora.server.feature.Contributions;
import org.kinora.server.feature.Feature;
import org.kinora.server.feature.Platform;
import org.kinora.server.feature.SharedServices;

/**
 * What every request goes through before any other feature sees it: the client address and host
 * resolved from forwarded headers only when a trusted proxy sent them (everything after reads
 * {@link ForwardedHeaders}), NUL bytes and cross-site cookie writes refused, security headers,
 * and the per-user cap on open event streams. Registered first.
 */
public record RequestSafetyFeature(Platform p, SharedServices shared) implements Feature {
    @Override
    public void contribute(Contributions c) {
        var config = p.config();
        c.routes(ForwardedHeaders.of(config),
                new RequestHardening(config.publicUrl()),
                new StreamGate(shared.auth, config.security().maxStreamsPerUser()));
    }
}
