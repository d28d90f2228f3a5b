package org.kinora.core.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class BackoffTest {
    private final Backoff backoff = new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(5));

    @RepeatedTest(20)
    void doublesPerAttemptWithinJitterAndStopsAtTheCap() {
        assertThat(backoff.delayAfter(1)).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(10));
        assertThat(backoff.delayAfter(3)).isBetween(Duration.ofSeconds(20), Duration.ofSeconds(40));
        assertThat(backoff.delayAfter(40)).isBetween(Duration.ofSeconds(150), Duration.ofMinutes(5));
    }
}
