package org.kinora.core.engagement;

import java.util.Locale;
import java.util.Optional;

/** A viewer's opinion of a video: one per viewer per video, or none. */
public enum Rating {
    LIKE(1), DISLIKE(-1), NONE(0);

    public final int value;

    Rating(int value) { this.value = value; }

    public String wireName() { return name().toLowerCase(Locale.ROOT); }

    public static Rating of(int value) {
        return value > 0 ? LIKE : value < 0 ? DISLIKE : NONE;
    }

    public static Optional<Rating> parse(String s) {
        if (s == null) return Optional.empty();
        for (Rating r : values()) if (r.wireName().equals(s.trim().toLowerCase(Locale.ROOT))) return Optional.of(r);
        return Optional.empty();
    }
}
