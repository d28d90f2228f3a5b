package org.kinora.core.analytics;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.kinora.core.view.PlayEvent;

/** Port: raw analytics events, playback states and the rollup tables. Writes join the caller's transaction. */
public interface AnalyticsRepository {
    /** One event as kept raw: the outbox event's id and the play's place in it identify it, for de-duplication. */
    record Raw(String eventId, int seq, PlayEvent play) {}

    /** Stores those not stored yet; returns the ones that were new ("eventId/seq"). */
    Set<String> insertRaw(List<Raw> events);

    /** Remembers the ids of other events analytics counted (ratings, comments, subscriptions); returns the ones that were new. */
    Set<String> markSeen(List<String> eventIds);

    Map<String, PlaybackFold.Video> videos(Collection<String> ids);

    Map<PlaybackFold.Key, PlaybackFold.State> playbacks(Collection<PlaybackFold.Key> keys);

    /** Adds the batch's numbers to the rollups and stores its playback states. */
    void apply(Rollup rollup);

    /** Every raw play event in [from, to), in the order the consumer took them (for rebuilding and checking rollups). */
    void replayRaw(Instant from, Instant to, Consumer<Raw> sink);

    /** What a query is about: one video, or every video of a channel. */
    record Scope(String videoId, String channelId) {
        public static Scope video(String id) { return new Scope(id, null); }
        public static Scope channel(String id) { return new Scope(null, id); }
    }

    /** The sums over a period; {@code viewedDurationMs}: the sum over views of their video's duration. */
    record Sums(long plays, long views, long watchMs, long viewedDurationMs, long likes, long dislikes, long comments,
                long subscribersGained, long subscribersLost) {}

    /** One step of a time series: an hour or a UTC day (its start). */
    record Point(Instant at, long plays, long views, long watchMs, long likes, long dislikes, long comments,
                 long subscribersGained, long subscribersLost) {}

    record DimValue(String dimension, String value, long views, long watchMs) {}

    Sums sums(Scope scope, LocalDate from, LocalDate to);

    /** The sums over whole hours in [from, to). */
    Sums hourlySums(Scope scope, Instant from, Instant to);

    /** Every day in [from, to], zeros included, oldest first. */
    List<Point> daily(Scope scope, LocalDate from, LocalDate to);

    /** Every hour in [from, to), zeros included, oldest first. */
    List<Point> hourly(Scope scope, Instant from, Instant to);

    long uniqueViewers(Scope scope, LocalDate from, LocalDate to);

    /** Passes over each 1 % point, summed over the days. */
    long[] retention(String videoId, LocalDate from, LocalDate to);

    List<DimValue> dimensions(Scope scope, LocalDate from, LocalDate to);

    /** Views per minute in [from, to), zeros included. */
    List<Point> minutes(Scope scope, Instant from, Instant to);

    /** The first day with any figures, if any. */
    java.util.Optional<LocalDate> firstDay(Scope scope);

    /**
     * Deletes raw events and hourly rollups before {@code rawBefore}, minute rollups before
     * {@code minutesBefore}, and playback states not seen since {@code playbacksBefore}; returns the rows deleted.
     */
    int prune(Instant rawBefore, Instant minutesBefore, Instant playbacksBefore);
}
