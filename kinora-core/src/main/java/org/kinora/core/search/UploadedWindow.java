package org.kinora.core.search;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * "Uploaded within" filters, measured back from now on the publication time (when the video first
 * became playable): hour, today (the last 24 hours, not the calendar day, so that it means the same
 * in every time zone), week (7 days), month (30 days), year (365 days).
 */
public enum UploadedWindow {
    HOUR(Duration.ofHours(1)), TODAY(Duration.ofDays(1)), WEEK(Duration.ofDays(7)),
    MONTH(Duration.ofDays(30)), YEAR(Duration.ofDays(365));

    public final Duration length;

    UploadedWindow(Duration length) {
        this.length = length;
    }

    public String wireName() { return name().toLowerCase(Locale.ROOT); }

    public Instant since(Instant now) { return now.minus(length); }

    static Optional<UploadedWindow> parse(String s) {
        for (UploadedWindow v : values()) if (v.wireName().equals(s)) return Optional.of(v);
        return Optional.empty();
    }
}
