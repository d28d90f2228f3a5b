package org.kinora.server.http;

import java.util.Optional;
import java.util.Set;

/**
 * How a route is declared besides its method, path and handler: a one-line summary for the API
 * reference, its {@link ApiRole roles}, and the type of its JSON request body if it reads one.
 * Written {@code doc("Rate a video", WRITE_LIMITED, IDEMPOTENT, SIGNED_IN).body(RatingRequest.class)}.
 */
public record Doc(String summary, Set<ApiRole> roles, Optional<Class<?>> body) {
    public Doc {
        if (summary == null || summary.isBlank()) throw new IllegalArgumentException("every route needs a summary for the API document");
        roles = Set.copyOf(roles);
    }

    public static Doc doc(String summary, ApiRole... roles) {
        return new Doc(summary, Set.of(roles), Optional.empty());
    }

    /** The record the handler reads from the JSON body; the document shows its fields. */
    public Doc body(Class<?> type) {
        return new Doc(summary, roles, Optional.of(type));
    }
}
