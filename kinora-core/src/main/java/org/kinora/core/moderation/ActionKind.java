package org.kinora.core.moderation;

import java.util.Locale;
import java.util.Optional;

/**
 * What a moderator does with an item. {@code REMOVE} takes a video down (with a warning or strike
 * by {@link StrikePolicy}), deletes a comment or terminates a channel; {@code STRIKE} counts a
 * violation without removing anything (a warning the first time); {@code WARN} only warns;
 * {@code SUSPEND} stops the owner uploading for a number of days or without end; {@code APPROVE}
 * releases an item held before publication; {@code DISMISS} closes the reports.
 */
public enum ActionKind {
    DISMISS, REMOVE, AGE_RESTRICT, MARK_SENSITIVE, WARN, STRIKE, SUSPEND, APPROVE;

    public String wireName() { return name().toLowerCase(Locale.ROOT); }

    public static Optional<ActionKind> parse(String value) {
        if (value == null) return Optional.empty();
        for (ActionKind a : values()) if (a.wireName().equals(value.trim().toLowerCase(Locale.ROOT))) return Optional.of(a);
        return Optional.empty();
    }
}
