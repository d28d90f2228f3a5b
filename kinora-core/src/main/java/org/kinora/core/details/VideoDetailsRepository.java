package org.kinora.core.details;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Port: the Studio details of videos. */
public interface VideoDetailsRepository {
    Optional<VideoDetails> find(String videoId);

    /** Writes every field of {@code details} (insert or replace). */
    void save(VideoDetails details);

    /** Videos whose scheduled publication time is at or before {@code now}, oldest first. */
    List<String> due(Instant now, int limit);

    /** Clears the schedule, but only if it is still {@code expected} (a creator may have moved it meanwhile). */
    boolean clearSchedule(String videoId, Instant expected);
}
