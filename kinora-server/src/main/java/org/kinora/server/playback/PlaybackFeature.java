package org.kinora.server.playback;

import org.kinora.core.playback.PlaybackRevocations;
import org.kinora.server.feature.Contributions;
import org.kinora.server.feature.Feature;
import org.kinora.server.feature.Platform;
import org.kinora.server.feature.SharedServices;

/**
 * Playback: the media origin behind playback tokens (or redirects to presigned bucket URLs), and
 * the revocation list CDN tiers check so that a video taken down stops playing from their caches.
 */
public record PlaybackFeature(Platform p, SharedServices shared) implements Feature {
    @Override
    public void contribute(Contributions c) {
        PlaybackRevocations revocations = shared.playbackRevocations;
        RevocationList list = new RevocationList(revocations, p.config().playbackTokenTtl(), p.clock());
        c.every("playback-revocations", java.time.Duration.ZERO, RevocationList.REFRESH, list::refresh);
        c.routes(new OriginRoutes(p.engines().blobs(), shared.videos, shared.playbackTokens, p.engines().mediaRedirects(),
                        p.config().delivery().offlineMaxAge(), p.clock(), p.engines().bus(), shared.protectedMedia),
                new RevocationRoutes(list));
        c.consume(RevocationConsumer.CONSUMER, RevocationConsumer.TYPES, new RevocationConsumer(revocations));
    }
}
