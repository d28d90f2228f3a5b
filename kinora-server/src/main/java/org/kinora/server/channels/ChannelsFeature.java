package org.kinora.server.channels;

import org.kinora.server.feature.Contributions;
import org.kinora.server.feature.Feature;
import org.kinora.server.feature.Platform;
import org.kinora.server.feature.SharedServices;

/** Channels: pages' data, avatar and banner, subscriptions and the subscription feed. */
public record ChannelsFeature(Platform p, SharedServices shared) implements Feature {
    @Override
    public void contribute(Contributions c) {
        c.routes(new ChannelRoutes(shared.channels, shared.subscriptions, shared.videos, shared.videoViews, shared.auth, shared.channelBlocks),
                new ChannelImages(p.engines().blobs()));
    }
}
