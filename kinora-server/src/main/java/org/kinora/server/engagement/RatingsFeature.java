package org.kinora.server.engagement;

import org.kinora.server.feature.Contributions;
import org.kinora.server.feature.Feature;
import org.kinora.server.feature.SharedServices;

/** Ratings: likes and dislikes of videos. */
public record RatingsFeature(SharedServices shared) implements Feature {
    @Override
    public void contribute(Contributions c) {
        c.routes(new RatingRoutes(shared.ratings, shared.auth));
    }
}
