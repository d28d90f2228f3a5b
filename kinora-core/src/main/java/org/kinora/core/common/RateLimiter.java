package org.kinora.core.common;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets per key (a user id, or an address for anonymous callers), in this process.
 * {@code perMinute} tokens refill evenly over a minute and at most {@code burst} accumulate.
 * A refused call learns how long to wait. Several API nodes each keep their own buckets, so
 * a client spreading calls over N nodes gets up to N times the rate: a Redis-backed limiter
 * is the scaled-out replacement.
 */
public final class RateLimiter {
    private final String name;
    private volatile double perSecond;
    private volatile double burst;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(String name, int perMinute, int burst, Clock clock) {
        this(name, perMinute / 60.0, burst, clock);
    }

    /** {@code perHour} tokens an hour, for limits too slow to state per minute (sign-ups). */
    public static RateLimiter perHour(String name, int perHour, int burst, Clock clock) {
        return new RateLimiter(name, perHour / 3600.0, burst, clock);
    }

    private RateLimiter(String name, double perSecond, int burst, Clock clock) {
        if (perSecond <= 0 || burst <= 0) throw new IllegalArgumentException("rate limit " + name + " must be positive");
        this.name = name;
        this.perSecond = perSecond;
        this.burst = burst;
        this.clock = clock;
    }

    /** A new rate per minute for every key from now on (admins change the write budget at run time). */
    public void setPerMinute(int perMinute, int burst) {
        if (perMinute <= 0 || burst <= 0) throw new IllegalArgumentException("rate limit " + name + " must be positive");
        this.perSecond = perMinute / 60.0;
        this.burst = burst;
    }

    private static final class Bucket {
        double tokens;
        Instant updated;

        Bucket(double tokens, Instant updated) {
            this.tokens = tokens;
            this.updated = updated;
        }
    }

    /** Takes one token for {@code key}, or throws a RATE_LIMITED error saying when to retry. */
    public void acquire(String key) {
        Instant now = clock.now();
        Duration wait = Duration.ZERO;
        Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
        synchronized (bucket) {
            double elapsed = Math.max(0, Duration.between(bucket.updated, now).toNanos() / 1e9);
            bucket.tokens = Math.min(burst, bucket.tokens + elapsed * perSecond);
            bucket.updated = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
            } else {
                wait = Duration.ofMillis((long) Math.ceil((1 - bucket.tokens) / perSecond * 1000));
            }
        }
        if (!wait.isZero()) throw limited(name, wait);
        if (buckets.size() > 100_000) prune(now);
    }

    /** The error every limit answers with; {@code retry_after_seconds} becomes the Retry-After header. */
    public static KinoraException limited(String what, Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        return new KinoraException(ErrorKind.RATE_LIMITED, "rate_limited",
                "Too many " + what + " requests; retry in " + seconds + " s.",
                Map.of("retry_after_seconds", seconds, "limit", what));
    }

    /** Forgets full buckets: they behave exactly like absent ones. */
    private void prune(Instant now) {
        buckets.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                double elapsed = Duration.between(e.getValue().updated, now).toNanos() / 1e9;
                return e.getValue().tokens + elapsed * perSecond >= burst;
            }
        });
    }
}
