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
     * Starts {@code session} unless the channel is live already: a live row whose lease ran out
     * (its node died) is ended first. False when another live of the channel holds its lease.
     */
    boolean start(LiveSession session, Instant now);

    void renew(String sessionId, Instant leaseUntil);

    void end(String sessionId, Instant at, String replayVideoId);

    Optional<LiveSession> session(String id);

    /** The channel's live session, if one is live now. */
    Optional<LiveSession> current(String ownerId);

    /** Lives with a valid lease, newest first. */
    List<LiveSession> live(Instant now, int limit);
}
