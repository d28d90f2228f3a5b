package org.kinora.core.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kinora.core.common.Clock;

/** The strike arithmetic with an injected clock that the test moves by days. */
@Timeout(10)
class StrikePolicyTest {
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    final Clock clock = now::get;
    final List<StrikePolicy.Entry> history = new ArrayList<>();

    void pass(int days) { now.set(now.get().plus(Duration.ofDays(days))); }

    Penalty violate(boolean severe) {
        Penalty p = StrikePolicy.nextPenalty(history, severe);
        history.add(new StrikePolicy.Entry(p, clock.now(), null, false));
        return p;
    }

    Standing standing() { return StrikePolicy.standing(history, clock.now()); }

    @Test
    void firstViolationIsAWarningThatFreezesNothing() {
        assertThat(standing()).isEqualTo(Standing.GOOD);
        assertThat(violate(false)).isEqualTo(Penalty.WARNING);
        assertThat(standing().warned()).isTrue();
        assertThat(standing().refusal(clock.now())).isNull();
    }

    @Test
    void oneStrikeFreezesAWeekTwoWithin90DaysTwoWeeksThreeTerminate() {
        violate(false); // warning
        pass(10);
        assertThat(violate(false)).isEqualTo(Penalty.STRIKE);
        Instant first = clock.now();
        assertThat(standing().activeStrikes()).isEqualTo(1);
        assertThat(standing().frozenUntil()).isEqualTo(first.plus(Duration.ofDays(7)));
        pass(6);
        assertThat(standing().refusal(clock.now())).contains("paused");
        pass(1);
        assertThat(standing().frozenUntil()).isNull(); // the week is over
        assertThat(standing().refusal(clock.now())).isNull();

        pass(30);
        assertThat(violate(false)).isEqualTo(Penalty.STRIKE);
        assertThat(standing().activeStrikes()).isEqualTo(2);
        assertThat(standing().frozenUntil()).isEqualTo(clock.now().plus(Duration.ofDays(14)));
        pass(13);
        assertThat(standing().refusal(clock.now())).isNotNull();
        pass(1);
        assertThat(standing().refusal(clock.now())).isNull();

        pass(30); // 81 days after the first strike: all three within 90 days
        violate(false);
        assertThat(standing().terminated()).isTrue();
        assertThat(standing().refusal(clock.now())).contains("terminated");
    }

    @Test
    void strikesExpireAfter90DaysSoAStrikeLaterCountsAsFirstAgain() {
        violate(false);
        violate(false); // strike 1
        pass(89);
        assertThat(standing().activeStrikes()).isEqualTo(1);
        pass(1);
        assertThat(standing().activeStrikes()).isZero(); // exactly 90 days: expired
        violate(false);
        assertThat(standing().activeStrikes()).isEqualTo(1);
        assertThat(standing().frozenUntil()).isEqualTo(clock.now().plus(Duration.ofDays(7))); // a week, not two
        pass(80);
        violate(false);
        pass(11);
        violate(false); // four strikes over 181 days, but never three within 90
        assertThat(standing().terminated()).isFalse();
        assertThat(standing().activeStrikes()).isEqualTo(2);
    }

    @Test
    void severeAbuseTerminatesAtOnceEvenWithoutAWarning() {
        assertThat(violate(true)).isEqualTo(Penalty.TERMINATION);
        assertThat(standing().terminated()).isTrue();
    }

    @Test
    void aRevertedStrikeCountsForNothing() {
        violate(false);
        violate(false);
        StrikePolicy.Entry strike = history.removeLast();
        history.add(new StrikePolicy.Entry(strike.penalty(), strike.at(), null, true));
        assertThat(standing().activeStrikes()).isZero();
        assertThat(standing().frozenUntil()).isNull();
        // A reverted warning means the next violation is a warning again.
        history.replaceAll(e -> new StrikePolicy.Entry(e.penalty(), e.at(), e.until(), true));
        assertThat(StrikePolicy.nextPenalty(history, false)).isEqualTo(Penalty.WARNING);
    }

    @Test
    void suspensionsLastUntilTheirEndOrForever() {
        history.add(new StrikePolicy.Entry(Penalty.SUSPENSION, clock.now(), clock.now().plus(Duration.ofDays(3)), false));
        assertThat(standing().refusal(clock.now())).contains("suspended until");
        pass(3);
        assertThat(standing().refusal(clock.now())).isNull();
        history.add(new StrikePolicy.Entry(Penalty.SUSPENSION, clock.now(), null, false));
        pass(1000);
        assertThat(standing().suspendedUntil()).isEqualTo(Instant.MAX);
        assertThat(standing().refusal(clock.now())).isEqualTo("This account is suspended.");
    }
}
