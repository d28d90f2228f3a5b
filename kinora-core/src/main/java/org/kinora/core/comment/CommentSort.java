package org.kinora.core.comment;

import java.util.Optional;

/** Thread order: newest first, or top (most replies) first with newest breaking ties. */
public enum CommentSort {
    NEWEST, TOP;

    public static Optional<CommentSort> parse(String s) {
        if (s == null || s.isBlank() || s.equals("newest")) return Optional.of(NEWEST);
        return s.equals("top") ? Optional.of(TOP) : Optional.empty();
    }
}
