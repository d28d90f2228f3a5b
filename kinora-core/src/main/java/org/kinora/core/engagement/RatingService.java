package org.kinora.core.engagement;

import org.kinora.core.common.Clock;
import org.kinora.core.common.Transactions;
import org.kinora.core.events.DomainEvent;
import org.kinora.core.events.EventLog;
import org.kinora.core.video.Video;
import org.kinora.core.video.VideoService;

/** Likes and dislikes: idempotent, switchable, one per user per video. */
public final class RatingService {
    private final ReactionRepository reactions;
    private final VideoStatsRepository stats;
    private final VideoService videos;
    private final Transactions tx;
    private final EventLog events;
    private final Clock clock;

    public RatingService(ReactionRepository reactions, VideoStatsRepository stats, VideoService videos, Transactions tx,
                         EventLog events, Clock clock) {
        this.events = events;
        this.reactions = reactions;
        this.stats = stats;
        this.videos = videos;
        this.tx = tx;
        this.clock = clock;
    }

    public record Result(Rating rating, Rating previous, VideoStats stats) {}

    public Result rate(String videoId, String userId, Rating rating) {
        Video v = videos.visibleVideo(videoId, userId);
        Rating previous = tx.inTransaction(() -> {
            Rating before = reactions.set(v.id(), userId, rating, clock.now());
            if (before != rating) {
                events.append(new DomainEvent.VideoRated(v.id(), userId, rating, before), clock.now());
            }
            return before;
        });
        return new Result(rating, previous, stats.find(java.util.List.of(v.id())).getOrDefault(v.id(), VideoStats.zero(v.id())));
    }

    public Rating ratingOf(String videoId, String userId) {
        return userId == null ? Rating.NONE : reactions.get(videoId, userId);
    }
}
