package org.kinora.core.jobs;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with full jitter on the top half: base·2^(attempt-1), capped. */
public record Backoff(Duration base, Duration max) {

    public Duration delayAfter(int attempt) {
        int exponent = Math.max(0, Math.min(attempt - 1, 30));
        long ceiling = Math.min(max.toMillis(), base.toMillis() * (1L << exponent));
        long half = ceiling / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }
}
