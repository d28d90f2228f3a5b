package org.kinora.server.comments;

import org.kinora.adapters.postgres.PgCommentRepository;
import org.kinora.core.comment.CommentService;
import org.kinora.core.common.RateLimiter;
import org.kinora.server.feature.Contributions;
import org.kinora.server.feature.Feature;
import org.kinora.server.feature.Platform;
import org.kinora.server.feature.SharedServices;

/** Comments on videos and their replies, within {@code engagement.comments-per-minute}. */
public record CommentsFeature(Platform p, SharedServices shared) implements Feature {
    @Override
    public void contribute(Contributions c) {
        var db = p.engines().database();
        int perMinute = p.config().engagement().commentsPerMinute();
        var comments = new CommentService(new PgCommentRepository(db), shared.videos, shared.accountAdmin, p.engines().events(),
                new RateLimiter("comment", perMinute, perMinute, p.clock()), db, p.clock(), shared.commentGate);
        c.routes(new CommentRoutes(comments, shared.videos, shared.channels, shared.accountAdmin, shared.auth));
    }
}
