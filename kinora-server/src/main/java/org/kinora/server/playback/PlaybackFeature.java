package org.kinora.server.playback;

import org.kinora.server.feature.Contributions;
import org.kinora.server.feature.Feature;
import org.kinora.server.feature.Platform;
import org.kinora.server.feature.SharedServices;

/** Playback: the media origin behind playback tokens (or redirects to presigned bucket URLs). */
public final class PlaybackFeature implements Feature {
    private final Platform p;
    private final SharedServices shared;

    public PlaybackFeature(Platform p, SharedServices shared) {
        this.p = p;
        this.shared = shared;
    }

    @Override
    public void contribute(Contributions c) {
        c.routes(new OriginRoutes(p.engines().blobs(), shared.videos, shared.playbackTokens, p.engines().mediaRedirects()));
    }
}
