package org.kinora.core.view;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Port: counted views. */
public interface ViewRepository {
    /** A viewer watched a video at a time. */
    record Hit(String videoId, String viewerKey, Instant at) {}

    /**
     * Counts each hit whose viewer has no counted view of that video within {@code window} before it
     * (videos that no longer exist are skipped), adding to the video's total and its UTC day.
     * Returns the views counted per video (videos with none counted are absent). Joins the
     * caller's transaction.
     */
    java.util.Map<String, Integer> count(List<Hit> hits, Duration window);

    /** Removes dedup marks older than the window: they no longer block anything. */
    int pruneMarks(Instant olderThan);

    record Daily(java.time.LocalDate day, long views) {}

    List<Daily> daily(String videoId, java.time.LocalDate from, java.time.LocalDate to);
}
