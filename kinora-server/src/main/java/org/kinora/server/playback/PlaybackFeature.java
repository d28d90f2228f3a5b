package org.kinora.server.playback;

import org.kinora.server.feature.Contributions;
import org.kinora.server.feature.Feature;
import org.kinora.server.feature.Platform;
import org.kinora.server.feature.SharedServices;

/** Playback: the media origin behind playback tokens (or redirects to presigned bucket URLs). */
public record PlaybackFeature(Platform p, SharedServices shared) implements Feature {
    @Override
    public void contribute(Contributions c) {
        c.routes(new OriginRoutes(p.engines().blobs(), shared.videos, shared.playbackTokens, p.engines().mediaRedirects()));
    }
}
