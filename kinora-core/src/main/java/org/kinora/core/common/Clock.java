package org.kinora.core.common;

import java.time.Instant;

/** Time source, so that expiry and backoff can be tested without sleeping. */
@FunctionalInterface
public interface Clock {
    Instant now();

    static Clock system() {
        return Instant::now;
    }
}
