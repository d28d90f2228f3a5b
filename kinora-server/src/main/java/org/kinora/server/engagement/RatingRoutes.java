package org.kinora.server.engagement;

import static org.kinora.server.http.ApiRole.IDEMPOTENT;
import static org.kinora.server.http.ApiRole.SIGNED_IN;
import static org.kinora.server.http.ApiRole.WRITE_LIMITED;
import static org.kinora.server.http.Doc.doc;

import org.kinora.core.common.KinoraException;
import org.kinora.core.engagement.Rating;
import org.kinora.core.engagement.RatingService;
import org.kinora.server.auth.AuthRoutes;
import org.kinora.server.http.Api;
import org.kinora.server.http.Authenticator;
import org.kinora.server.http.Routes;

/** {@code PUT /api/v1/videos/{id}/rating}: like, dislike or none; the same request twice changes nothing. */
public final class RatingRoutes implements Routes {
    private final RatingService ratings;
    private final Authenticator auth;

    public RatingRoutes(RatingService ratings, Authenticator auth) {
        this.ratings = ratings;
        this.auth = auth;
    }

    record RatingRequest(String rating) {}

    record RatingView(String videoId, String rating, long likeCount, long dislikeCount) {}

    @Override
    public void register(Api app) {
        app.put("/api/v1/videos/{id}/rating", doc("Like, dislike or clear your rating of a video", WRITE_LIMITED, IDEMPOTENT, SIGNED_IN).body(RatingRequest.class), ctx -> {
            String user = auth.requireUser(ctx);
            RatingRequest r = AuthRoutes.body(ctx, RatingRequest.class);
            Rating rating = Rating.parse(r.rating()).orElseThrow(() -> KinoraException.badRequest("invalid_rating",
                    "rating must be \"like\", \"dislike\" or \"none\"."));
            RatingService.Result result = ratings.rate(ctx.pathParam("id"), user, rating);
            ctx.json(new RatingView(result.stats().videoId(), result.rating().wireName(), result.stats().likeCount(),
                    result.stats().dislikeCount()));
        });
    }
}
