package org.kinora.core.view;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.kinora.core.video.Video;

/** Port: each signed-in viewer's watch history with the resume position. */
public interface HistoryRepository {
    /** {@code positionSeconds} null: keep the known position (0 for a new entry). */
    record Position(String userId, String videoId, Double positionSeconds, boolean completed, Instant at) {}

    /** Upserts the positions, skipping users who paused their history; the newest report wins. */
    void record(List<Position> positions);

    record Entry(Video video, double positionSeconds, boolean completed, Instant updatedAt) {}

    record Cursor(Instant updatedAt, String videoId) {}

    /** Videos the user may still see, most recently watched first, after the cursor. */
    List<Entry> list(String userId, Optional<Cursor> after, int limit);

    /** Started, not finished, most recent first. */
    List<Entry> unfinished(String userId, int limit);

    Optional<Entry> find(String userId, String videoId);

    int clear(String userId);

    boolean remove(String userId, String videoId);
}
