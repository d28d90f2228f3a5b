package org.kinora.server.playback;

import org.kinora.core.playback.PlaybackRevocations;
import org.kinora.server.feature.Contributions;
import org.kinora.server.feature.Feature;
import org.kinora.server.feature.Platform;
import org.kinora.server.feature.SharedServices;

/**
 * Playback: the media origin behind playback tokens (or redirects to presigned bucket URLs), on the
 * main listener and, when {@code delivery.media-port} is set, on a sendfile listener of its own
 * ({@link SendfileOrigin}); and the revocation list CDN tiers check so that a video taken down
 * stops playing from their caches.
 */
public record PlaybackFeature(Platform p, SharedServices shared) implements Feature {
    @Override
    public void contribute(Contributions c) {
        PlaybackRevocations revocations = shared.playbackRevocations;
        RevocationList list = new RevocationList(revocations, p.config().playbackTokenTtl(), p.clock());
        c.every("playback-revocations", java.time.Duration.ZERO, RevocationList.REFRESH, list::refresh);
        var delivery = p.config().delivery();
        MediaAccess access = new MediaAccess(shared.playbackTokens, shared.videos, delivery.offlineMaxAge(), p.clock(), p.engines().bus());
        MediaAnswers answers = new MediaAnswers(p.engines().blobs(), p.engines().mediaRedirects());
        c.routes(new OriginRoutes(p.engines().blobs(), access, answers, shared.protectedMedia), new RevocationRoutes(list));
        c.consume(RevocationConsumer.CONSUMER, RevocationConsumer.TYPES, new RevocationConsumer(revocations));
        if (delivery.mediaPort() > 0) {
            // Videos with country rules, an age restriction or protection are left to the main listener's filters.
            java.util.function.Predicate<String> needsMainOrigin = id -> shared.countryRules.hasRules(id)
                    || shared.playbackGate.ageRestricted(id) || shared.playbackGate.isProtected(id);
            SendfileOrigin media = c.closeOnStop(new SendfileOrigin(p.config().host(), delivery.mediaPort(), access, answers,
                    p.engines().blobs(), needsMainOrigin, p.config().publicUrl(), p.webPort(),
                    org.kinora.server.http.ForwardedHeaders.of(p.config())::isAllowedHost, c.metrics()));
            c.readiness("media_port", media::isOpen);
        }
    }
}
