package org.kinora.core.video;

import java.util.Locale;
import java.util.Optional;

/** Who may watch: everyone and listed; anyone with the link; only the owner. */
public enum Privacy {
    PUBLIC, UNLISTED, PRIVATE;

    public String wireName() { return name().toLowerCase(Locale.ROOT); }

    public static Optional<Privacy> parse(String value) {
        if (value == null) return Optional.empty();
        for (Privacy p : values()) {
            if (p.wireName().equals(value.trim().toLowerCase(Locale.ROOT))) return Optional.of(p);
        }
        return Optional.empty();
    }
}
