package org.kinora.core.analytics;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.kinora.core.view.PlayContext;
import org.kinora.core.view.PlayEvent;

/**
 * Turns play events into analytics, one viewer's playback of one video at a time. The rules:
 *
 * <ul>
 *   <li><b>Playback.</b> A {@code start} begins one (a "play"); its traffic source, device, browser
 *       and country are the start's. Another event without a known playback begins one too, at
 *       its position, without watch time (its state was pruned or it came from an old page).
 *   <li><b>Watched.</b> Between consecutive events of a playback, the video from the earlier
 *       position to a {@code heartbeat}'s or {@code complete}'s position counts as watched when it
 *       goes forward by at most {@value #MAX_SPEED} times the time that passed plus
 *       {@value #SLACK_SECONDS} s (playback at up to double speed; faster is a jump, not watching).
 *       A {@code seek}, a backward move and an over-fast one move the position without watch time.
 *       Events older than the playback's last one (a delayed request) are dropped.
 *   <li><b>View.</b> A playback becomes one view when its watch time reaches
 *       {@value #VIEW_SECONDS} s, or half the video when it is shorter than 60 s; at most once per
 *       playback. Its viewer then counts towards unique viewers of that day.
 *   <li><b>Retention.</b> Every watched stretch adds one pass over each 1 % point it covers
 *       (point i is at i % of the duration, stretch [a, b) covers it when a ≤ point &lt; b). Like
 *       YouTube's, a rewatched part counts again, so a point can exceed 100 % of plays.
 *   <li><b>Owner.</b> The video's owner's playbacks are left out entirely.
 * </ul>
 */
public final class PlaybackFold {
    public static final double MAX_SPEED = 2.0;
    public static final double SLACK_SECONDS = 2.0;
    public static final int VIEW_SECONDS = 30;
    public static final int POINTS = 100;

    /** What analytics know of a video. {@code durationSeconds} is 0 while unknown. */
    public record Video(String id, String channelId, String ownerId, double durationSeconds) {
        long viewThresholdMs() {
            return durationSeconds > 0 && durationSeconds < 2 * VIEW_SECONDS ? Math.round(durationSeconds * 500) : VIEW_SECONDS * 1000L;
        }
    }

    public record Key(String videoId, String viewerKey) {}

    /** A playback in progress: where and when it was last seen, its watch time and whether it is a view yet. */
    public record State(Instant startedAt, Instant lastAt, double lastPosition, long watchMs, boolean counted, PlayContext context) {}

    private PlaybackFold() {}

    /**
     * Applies {@code e} to the playback in {@code into.playbacks} (or {@code known}, the state stored
     * before this batch), adding what it contributes to {@code into}. Events of one playback must come
     * in the order they occurred.
     */
    public static void apply(PlayEvent e, Video video, Map<Key, State> known, Rollup into) {
        if (video.ownerId() != null && ("u:" + video.ownerId()).equals(e.viewerKey())) return;
        into.channels.put(video.id(), video.channelId());
        Key key = new Key(video.id(), e.viewerKey());
        State s = into.playbacks.containsKey(key) ? into.playbacks.get(key) : known.get(key);
        double d = video.durationSeconds();
        Instant at = e.at();
        if (e.type() == PlayEvent.Type.START || s == null) {
            into.at(video.id(), at).plays++;
            into.dim(video.id(), at, "plays_source", e.context().source().wireName(), 1, 0); // plays per source, for context
            into.playbacks.put(key, new State(at, at, clamp(e.positionSeconds() == null ? 0 : e.positionSeconds(), d), 0, false, e.context()));
            return;
        }
        if (at.isBefore(s.lastAt())) return;
        double pos = e.positionSeconds() != null ? clamp(e.positionSeconds(), d)
                : e.type() == PlayEvent.Type.COMPLETE && d > 0 ? d : s.lastPosition();
        long watchMs = s.watchMs();
        boolean counted = s.counted();
        if (e.type() != PlayEvent.Type.SEEK) {
            double a = s.lastPosition();
            double elapsed = Duration.between(s.lastAt(), at).toMillis() / 1000.0;
            if (pos > a && pos - a <= elapsed * MAX_SPEED + SLACK_SECONDS) {
                long ms = Math.round((pos - a) * 1000);
                watchMs += ms;
                into.at(video.id(), at).watchMs += ms;
                dims(into, video.id(), at, s.context(), 0, ms);
                if (d > 0) {
                    long[] passes = into.retention.computeIfAbsent(new Rollup.Day(video.id(), Rollup.day(at)), k -> new long[POINTS]);
                    for (int i = 0; i < POINTS; i++) {
                        double point = d * i / POINTS;
                        if (a <= point && point < pos) passes[i]++;
                    }
                }
                if (!counted && watchMs >= video.viewThresholdMs()) {
                    counted = true;
                    into.at(video.id(), at).views++;
                    dims(into, video.id(), at, s.context(), 1, 0);
                    into.viewers.add(new Rollup.Viewer(video.id(), Rollup.day(at), viewerHash(e.viewerKey())));
                    into.minutes.computeIfAbsent(new Rollup.Minute(video.id(), at.truncatedTo(ChronoUnit.MINUTES)), k -> new long[1])[0]++;
                }
            }
        }
        into.playbacks.put(key, new State(s.startedAt(), at, pos, watchMs, counted, s.context()));
    }

    private static void dims(Rollup into, String videoId, Instant at, PlayContext c, long views, long watchMs) {
        into.dim(videoId, at, "source", c.source().wireName(), views, watchMs);
        if (c.source() == TrafficSource.EMBED) into.dim(videoId, at, "embed", c.domain(), views, watchMs);
        if (c.source() == TrafficSource.EXTERNAL) into.dim(videoId, at, "external", c.domain(), views, watchMs);
        into.dim(videoId, at, "device", c.device(), views, watchMs);
        into.dim(videoId, at, "browser", c.browser(), views, watchMs);
        into.dim(videoId, at, "country", c.country(), views, watchMs);
    }

    private static double clamp(double position, double duration) {
        double p = Math.max(0, position);
        return duration > 0 ? Math.min(p, duration) : p;
    }

    /** 64 bits of the viewer key's SHA-256: unique-viewer counts store this, not the key. */
    public static long viewerHash(String viewerKey) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(viewerKey.getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 8; i++) v = (v << 8) | (h[i] & 0xff);
            return v;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
