package org.kinora.core.view;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * What a player reports: playback started, is still going (every few seconds, with the position)
 * or reached the end. {@code userId} is null for anonymous viewers, who are told apart by the
 * {@code sessionId} their page keeps.
 */
public record PlayEvent(String videoId, String userId, String sessionId, Type type, Double positionSeconds, Instant at) {

    public enum Type {
        START, HEARTBEAT, COMPLETE;

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
