package org.kinora.core.moderation;

import java.util.Locale;
import java.util.Optional;

/** What an action counts against the account it targets. */
public enum Penalty {
    WARNING, STRIKE, SUSPENSION, TERMINATION;

    public String wireName() { return name().toLowerCase(Locale.ROOT); }

    public static Optional<Penalty> parse(String value) {
        if (value == null) return Optional.empty();
        for (Penalty p : values()) if (p.wireName().equals(value)) return Optional.of(p);
        return Optional.empty();
    }
}
