package org.kinora.core.moderation;

import java.util.Locale;
import java.util.Optional;

/** A creator's setting for comments on one video: open, closed, or each held until the creator approves it. */
public enum CommentMode {
    ON, OFF, HELD;

    public String wireName() { return name().toLowerCase(Locale.ROOT); }

    public static Optional<CommentMode> parse(String value) {
        if (value == null) return Optional.empty();
        for (CommentMode m : values()) if (m.wireName().equals(value.trim().toLowerCase(Locale.ROOT))) return Optional.of(m);
        return Optional.empty();
    }
}
