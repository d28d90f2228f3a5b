package org.kinora.core.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class RateLimiterTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-21T00:00:00Z"));
    private final RateLimiter limiter = new RateLimiter("comment", 6, 3, now::get);

    @Test
    void aBurstPassesThenTheCallerIsToldHowLongToWait() {
        for (int i = 0; i < 3; i++) limiter.acquire("alice");
        assertThatThrownBy(() -> limiter.acquire("alice"))
                .isInstanceOfSatisfying(KinoraException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
                    assertThat(e.details().get("retry_after_seconds")).isEqualTo(10L); // 6 per minute: one every 10 s
                });
        limiter.acquire("bob"); // buckets are per key
    }

    @Test
    void tokensComeBackWithTimeButNeverBeyondTheBurst() {
        for (int i = 0; i < 3; i++) limiter.acquire("alice");
        now.set(now.get().plus(Duration.ofSeconds(10)));
        limiter.acquire("alice");
        assertThatThrownBy(() -> limiter.acquire("alice")).isInstanceOf(KinoraException.class);
        now.set(now.get().plus(Duration.ofHours(1)));
        for (int i = 0; i < 3; i++) limiter.acquire("alice");
        assertThatThrownBy(() -> limiter.acquire("alice")).isInstanceOf(KinoraException.class);
    }

    @Test
    void anHourlyLimitRefillsOverTheHour() {
        RateLimiter hourly = RateLimiter.perHour("sign-up", 10, 10, now::get);
        for (int i = 0; i < 10; i++) hourly.acquire("203.0.113.1");
        assertThatThrownBy(() -> hourly.acquire("203.0.113.1")).isInstanceOfSatisfying(KinoraException.class,
                e -> assertThat(e.details().get("retry_after_seconds")).isEqualTo(360L)); // one every 6 minutes
        now.set(now.get().plus(Duration.ofMinutes(6)));
        hourly.acquire("203.0.113.1");
    }
}
