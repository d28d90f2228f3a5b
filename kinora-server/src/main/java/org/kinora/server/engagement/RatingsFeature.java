package org.kinora.server.engagement;

import org.kinora.server.feature.Contributions;
import org.kinora.server.feature.Feature;
import org.kinora.server.feature.SharedServices;

/** Ratings: likes and dislikes of videos. */
public final class RatingsFeature implements Feature {
    private final SharedServices shared;

    public RatingsFeature(SharedServices shared) {
        this.shared = shared;
    }

    @Override
    public void contribute(Contributions c) {
        c.routes(new RatingRoutes(shared.ratings, shared.auth));
    }
}
