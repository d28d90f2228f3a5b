package org.kinora.core.view;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * What a player reports: playback started, is still going (every few seconds, with the position)
 * or reached the end. {@code userId} is null for anonymous viewers, who are told apart by the
 * {@code sessionId} their page keeps. {@code context} says where the play came from, for analytics.
 */
public record PlayEvent(String videoId, String userId, String sessionId, Type type, Double positionSeconds, Instant at,
                        PlayContext context) {

    /** A play whose source and device are not known. */
    public PlayEvent(String videoId, String userId, String sessionId, Type type, Double positionSeconds, Instant at) {
        this(videoId, userId, sessionId, type, positionSeconds, at, PlayContext.UNKNOWN);
    }

    public PlayEvent {
        if (context == null) context = PlayContext.UNKNOWN;
    }

    /**
     * START: a playback begins (at the position given, 0 when absent). HEARTBEAT: still playing, or
     * paused, at the position. SEEK: the viewer jumped to the position (the page first sends a
     * heartbeat with where it was). COMPLETE: reached the end.
     */
    public enum Type {
        START, HEARTBEAT, COMPLETE, SEEK;

        public static Optional<Type> parse(String s) {
            if (s == null) return Optional.empty();
            for (Type t : values()) if (t.name().toLowerCase(Locale.ROOT).equals(s.trim().toLowerCase(Locale.ROOT))) return Optional.of(t);
            return Optional.empty();
        }
    }

    /** Whom a view is deduplicated by: the account when signed in, else the page's session. */
    public String viewerKey() {
        return userId != null ? "u:" + userId : "s:" + sessionId;
    }
}
