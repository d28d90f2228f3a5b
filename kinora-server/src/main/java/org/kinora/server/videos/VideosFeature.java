package org.kinora.server.videos;

import org.kinora.server.feature.Contributions;
import org.kinora.server.feature.Feature;
import org.kinora.server.feature.Platform;
import org.kinora.server.feature.SharedServices;

/** Videos: listing, reading, editing and deleting them, and the live status stream while they process. */
public record VideosFeature(Platform p, SharedServices shared) implements Feature {
    @Override
    public void contribute(Contributions c) {
        c.routes(new VideoRoutes(shared.videos, shared.videoViews, shared.auth, p.engines().bus(), p.engines().statusPoll(), shared.channelBlocks));
    }
}
