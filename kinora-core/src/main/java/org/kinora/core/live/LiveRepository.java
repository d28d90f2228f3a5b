package org.kinora.core.live;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where live channels and sessions are kept. */
public interface LiveRepository {
    Optional<LiveChannel> channel(String ownerId);

    Optional<LiveChannel> channelByKey(String streamKey);

    /** Creates the channel's row with this key, or replaces its key. */
    void saveKey(String ownerId, String streamKey, Instant at);

    void updateSettings(String ownerId, String title, boolean replays, Instant at);

    /**
     * Starts a live of {@code fresh.ownerId()} unless the channel is live already: a live row
     * whose lease ran out (its node died) is ended first. The earliest upcoming live scheduled for
     * before {@code takeUpcomingBefore} becomes the live (its id, title, description and page);
     * without one, {@code fresh} is inserted. Empty when another live of the channel holds its lease.
     */
    Optional<LiveSession> start(LiveSession fresh, Instant now, Instant takeUpcomingBefore);

    /** The channel's SRT port: the one it has, else the lowest free one in the range (empty when all are taken). */
    Optional<Integer> assignSrtPort(String ownerId, int lowest, int highest);

    void clearSrtPort(String ownerId);

    /** Channels with SRT on. */
    List<LiveChannel> srtChannels();

    /** Stores an upcoming live. */
    void schedule(LiveSession upcoming);

    /** The channel's upcoming lives, soonest first. */
    List<LiveSession> upcoming(String ownerId, int limit);

    void setThumbnail(String sessionId, String file);

    /** Deletes an upcoming live (false when it is not upcoming any more). */
    boolean cancel(String sessionId);

    /** The live whose recording became this video. */
    Optional<LiveSession> byReplay(String videoId);

    /** The channel's lives that ended, newest first. */
    List<LiveSession> ended(String ownerId, int limit);

    void renew(String sessionId, Instant leaseUntil);

    void end(String sessionId, Instant at, String replayVideoId);

    Optional<LiveSession> session(String id);

    /** The channel's live session, if one is live now. */
    Optional<LiveSession> current(String ownerId);

    /** Lives with a valid lease, newest first. */
    List<LiveSession> live(Instant now, int limit);
}
