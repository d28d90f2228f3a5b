package org.kinora.server.channels;

import org.kinora.server.feature.Contributions;
import org.kinora.server.feature.Feature;
import org.kinora.server.feature.Platform;
import org.kinora.server.feature.SharedServices;

/** Channels: pages' data, avatar and banner, subscriptions and the subscription feed. */
public final class ChannelsFeature implements Feature {
    private final Platform p;
    private final SharedServices shared;

    public ChannelsFeature(Platform p, SharedServices shared) {
        this.p = p;
        this.shared = shared;
    }

    @Override
    public void contribute(Contributions c) {
        c.routes(new ChannelRoutes(shared.channels, shared.subscriptions, shared.videos, shared.videoViews, shared.auth),
                new ChannelImages(p.engines().blobs()));
    }
}
