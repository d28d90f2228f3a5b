package org.kinora.core.view;

import java.util.List;
import java.util.Optional;
import org.kinora.core.account.AccountAdminService;
import org.kinora.core.common.Clock;
import org.kinora.core.common.Ids;
import org.kinora.core.common.KinoraException;
import org.kinora.core.video.Video;
import org.kinora.core.video.VideoService;

/** Play events in, watch history and resume positions out. */
public final class HistoryService {
    public static final int MAX_PAGE = 100;

    private final ViewRecorder recorder;
    private final HistoryRepository history;
    private final ViewRepository views;
    private final VideoService videos;
    private final AccountAdminService accounts;
    private final Clock clock;

    public HistoryService(ViewRecorder recorder, HistoryRepository history, ViewRepository views, VideoService videos,
                          AccountAdminService accounts, Clock clock) {
        this.recorder = recorder;
        this.history = history;
        this.views = views;
        this.videos = videos;
        this.accounts = accounts;
        this.clock = clock;
    }

    /**
     * Validates cheaply (no database) and buffers. Whether the video exists and may be watched
     * by this viewer is decided when the batch is written: unknown videos are dropped there.
     */
    public void report(String videoId, String userId, String sessionId, String type, Double positionSeconds) {
        report(videoId, userId, sessionId, type, positionSeconds, PlayContext.UNKNOWN);
    }

    /** As {@link #report(String, String, String, String, Double)}, with where the play came from (for analytics). */
    public void report(String videoId, String userId, String sessionId, String type, Double positionSeconds, PlayContext context) {
        if (!Ids.looksValid(videoId)) throw KinoraException.notFound("Video");
        PlayEvent.Type t = PlayEvent.Type.parse(type).orElseThrow(() -> KinoraException.badRequest("invalid_event_type",
                "type must be start, heartbeat, seek or complete."));
        if (userId == null && (sessionId == null || !Ids.looksValid(sessionId) || sessionId.length() < 8)) {
            throw KinoraException.badRequest("session_id_required",
                    "Anonymous viewers send a session_id: 8–64 characters of [A-Za-z0-9_-], kept by the page for the visit.");
        }
        if (positionSeconds != null && (positionSeconds.isNaN() || positionSeconds < 0 || positionSeconds > 1e7)) {
            throw KinoraException.badRequest("invalid_position", "position_seconds must be a non-negative number of seconds.");
        }
        recorder.accept(new PlayEvent(videoId, userId, sessionId, t, positionSeconds, clock.now(), context));
    }

    /** The resume position for a signed-in viewer: null when never watched, finished, or at the very start. */
    public Double resumePosition(String userId, String videoId) {
        if (userId == null) return null;
        return history.find(userId, videoId).filter(e -> !e.completed() && e.positionSeconds() > 0)
                .map(HistoryRepository.Entry::positionSeconds).orElse(null);
    }

    public List<HistoryRepository.Entry> list(String userId, Optional<HistoryRepository.Cursor> after, int limit) {
        return history.list(userId, after, clamp(limit));
    }

    public List<HistoryRepository.Entry> continueWatching(String userId, int limit) {
        return history.unfinished(userId, clamp(limit));
    }

    public int clear(String userId) {
        return history.clear(userId);
    }

    public void remove(String userId, String videoId) {
        if (!Ids.looksValid(videoId) || !history.remove(userId, videoId)) throw KinoraException.notFound("History entry");
    }

    public boolean paused(String userId) {
        return accounts.settings(userId).historyPaused();
    }

    public void setPaused(String userId, boolean paused) {
        accounts.setHistoryPaused(userId, paused);
    }

    /** Owner only: views per UTC day, oldest first, for the last {@code days} days. */
    public List<ViewRepository.Daily> dailyViews(String videoId, String requesterId, int days) {
        Video v = videos.visibleVideo(videoId, requesterId);
        if (!v.isOwnedBy(requesterId)) throw KinoraException.forbidden("Only the video's owner may see its statistics.");
        if (days < 1 || days > 366) throw KinoraException.badRequest("invalid_days", "days must be between 1 and 366.");
        var today = clock.now().atZone(java.time.ZoneOffset.UTC).toLocalDate();
        return views.daily(v.id(), today.minusDays(days - 1L), today);
    }

    private static int clamp(int limit) {
        return Math.max(1, Math.min(limit, MAX_PAGE));
    }
}
