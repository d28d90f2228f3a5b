package org.kinora.core.view;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.kinora.core.common.Clock;
import org.kinora.core.common.ErrorKind;
import org.kinora.core.common.KinoraException;
import org.kinora.core.common.Transactions;
import org.kinora.core.events.DomainEvent;
import org.kinora.core.events.EventLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes play events without touching the database (the HTTP answer is a 202 at once) and writes
 * them in batches: {@link #flush()} runs every {@code flushInterval}. A view is counted on the
 * first event of a viewer for a video, once per {@code window}; heartbeats and completions move
 * the watch history's resume position.
 *
 * <p>The bound: an accepted event is in the counters and the history within one flush interval
 * plus the time a flush takes (a batch of thousands is one statement; milliseconds). The buffer
 * lives in this process; events of the last interval are lost if the process dies, which view
 * counting tolerates. A full buffer answers 503 rather than growing without bound.
 *
 * <p>Each flush that counts views for a video also emits one {@code video.viewed} event for it in
 * the same transaction, so that search (trending, sort by views) and the Kafka relay learn of
 * counted views without an event per play. Likewise one {@code video.played} event per video per
 * flush carries all of that video's play events to analytics, through the same outbox (and the
 * Kafka relay at scale).
 */
public final class ViewRecorder {
    private static final Logger log = LoggerFactory.getLogger(ViewRecorder.class);

    private final BlockingQueue<PlayEvent> buffer;
    private final ViewRepository views;
    private final HistoryRepository history;
    private final Transactions tx;
    private final EventLog events;
    private final Clock clock;
    private final Duration window;
    private final Object flushing = new Object();

    public ViewRecorder(ViewRepository views, HistoryRepository history, Transactions tx, EventLog events, Clock clock,
                        Duration window, int capacity) {
        this.views = views;
        this.history = history;
        this.tx = tx;
        this.events = events;
        this.clock = clock;
        this.window = window;
        this.buffer = new ArrayBlockingQueue<>(capacity);
    }

    public Duration window() { return window; }

    public void accept(PlayEvent event) {
        if (!buffer.offer(event)) {
            throw new KinoraException(ErrorKind.UNAVAILABLE, "events_backlog",
                    "The server is behind on recording play events; retry in a few seconds.",
                    Map.of("retry_after_seconds", 2));
        }
    }

    /** Writes what is buffered; returns the number of views counted. Safe to call from several threads. */
    public int flush() {
        synchronized (flushing) {
            List<PlayEvent> batch = new ArrayList<>(buffer.size());
            buffer.drainTo(batch);
            if (batch.isEmpty()) return 0;
            Map<String, ViewRepository.Hit> hits = new LinkedHashMap<>();
            Map<String, HistoryRepository.Position> positions = new LinkedHashMap<>();
            for (PlayEvent e : batch) {
                hits.putIfAbsent(e.videoId() + "\n" + e.viewerKey(), new ViewRepository.Hit(e.videoId(), e.viewerKey(), e.at()));
                if (e.userId() != null) {
                    // An event without a position (a bare start) keeps the position already known.
                    Double pos = e.positionSeconds() == null ? null : Math.max(0, e.positionSeconds());
                    positions.merge(e.userId() + "\n" + e.videoId(),
                            new HistoryRepository.Position(e.userId(), e.videoId(), pos, e.type() == PlayEvent.Type.COMPLETE, e.at()),
                            (earlier, later) -> later.positionSeconds() != null ? later
                                    : new HistoryRepository.Position(later.userId(), later.videoId(), earlier.positionSeconds(),
                                            later.completed(), later.at()));
                }
            }
            Map<String, List<PlayEvent>> plays = new LinkedHashMap<>();
            for (PlayEvent e : batch) plays.computeIfAbsent(e.videoId(), k -> new ArrayList<>()).add(e);
            int counted = tx.inTransaction(() -> {
                Map<String, Integer> perVideo = views.count(new ArrayList<>(hits.values()), window);
                perVideo.forEach((videoId, n) -> events.append(new DomainEvent.VideoViewed(videoId, n), clock.now()));
                // Analytics read every play event from the outbox: one row per video per flush.
                plays.forEach((videoId, list) -> events.append(new DomainEvent.VideoPlayed(videoId, list), clock.now()));
                return perVideo.values().stream().mapToInt(Integer::intValue).sum();
            });
            if (!positions.isEmpty()) history.record(new ArrayList<>(positions.values()));
            if (log.isDebugEnabled()) log.debug("flushed {} play events: {} views counted", batch.size(), counted);
            return counted;
        }
    }

    public int pending() {
        return buffer.size();
    }
}
