package org.kinora.core.search;

import java.util.Locale;
import java.util.Optional;

/**
 * Length filters as viewers know them: short is under 4 minutes, medium 4 to 20 minutes, long
 * over 20 minutes. Bounds are in seconds, {@code min} inclusive and {@code max} exclusive.
 */
public enum DurationBand {
    SHORT(0, 240), MEDIUM(240, 1200), LONG(1200, Double.POSITIVE_INFINITY);

    public final double minSeconds;
    public final double maxSeconds;

    DurationBand(double minSeconds, double maxSeconds) {
        this.minSeconds = minSeconds;
        this.maxSeconds = maxSeconds;
    }

    public String wireName() { return name().toLowerCase(Locale.ROOT); }

    public boolean contains(double seconds) { return seconds >= minSeconds && seconds < maxSeconds; }

    static Optional<DurationBand> parse(String s) {
        for (DurationBand v : values()) if (v.wireName().equals(s)) return Optional.of(v);
        return Optional.empty();
    }
}
