package org.kinora.core.moderation;

import java.util.Optional;

/** Queue order: the item reported most recently first, or the item with the most open reports first. */
public enum QueueSort {
    NEWEST, MOST_REPORTED;

    public static Optional<QueueSort> parse(String value) {
        if (value == null || value.isBlank() || value.equals("newest")) return Optional.of(NEWEST);
        if (value.equals("most_reported")) return Optional.of(MOST_REPORTED);
        return Optional.empty();
    }
}
