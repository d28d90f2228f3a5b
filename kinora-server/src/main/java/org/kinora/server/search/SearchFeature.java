package org.kinora.server.search;

import java.util.Optional;
import org.kinora.core.search.SearchService;
import org.kinora.core.search.SubscriptionFeed;
import org.kinora.core.video.Video;
import org.kinora.server.feature.Contributions;
import org.kinora.server.feature.Feature;
import org.kinora.server.feature.Platform;
import org.kinora.server.feature.SharedServices;

/** Search, suggestions, trending, related videos and the home feed, on the selected search engine. */
public record SearchFeature(Platform p, SharedServices shared) implements Feature {
    @Override
    public void contribute(Contributions c) {
        SubscriptionFeed followed = (userId, limit) -> shared.subscriptions.feed(userId, Optional.empty(), limit)
                .stream().map(Video::id).toList();
        SearchService search = new SearchService(p.engines().search(), p.engines().videos(), shared.videos, followed, shared.channelBlocks,
                shared.restrictions);
        c.routes(new SearchRoutes(search, shared.videoViews, shared.auth, p.clock()));
    }
}
