package org.kinora.core.playback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class AgeRuleTest {
    static final LocalDate TODAY = LocalDate.of(2026, 12, 1);

    @Test
    void eachMissingStepHasItsOwnRefusal() {
        assertThat(AgeRule.refusal(true, false, null, Optional.empty(), TODAY)).contains(AgeRule.SIGN_IN);
        assertThat(AgeRule.refusal(true, false, "u", Optional.empty(), TODAY)).contains(AgeRule.BIRTH_DATE);
        assertThat(AgeRule.refusal(true, false, "u", Optional.of(LocalDate.of(2010, 1, 1)), TODAY)).contains(AgeRule.TOO_YOUNG);
        assertThat(AgeRule.refusal(true, false, "u", Optional.of(LocalDate.of(1990, 1, 1)), TODAY)).isEmpty();
        assertThat(AgeRule.refusal(true, true, "owner", Optional.empty(), TODAY)).isEmpty();
        assertThat(AgeRule.refusal(false, false, null, Optional.empty(), TODAY)).isEmpty();
    }

    @Test
    void eighteenOnTheBirthdayItselfNotTheDayBefore() {
        assertThat(AgeRule.isAdult(LocalDate.of(2008, 12, 1), TODAY)).isTrue();
        assertThat(AgeRule.isAdult(LocalDate.of(2008, 12, 2), TODAY)).isFalse();
        // Born on 29 February: adult from 1 March in a common year (as Period counts), not on 28 February.
        assertThat(AgeRule.isAdult(LocalDate.of(2008, 2, 29), LocalDate.of(2026, 2, 28))).isFalse();
        assertThat(AgeRule.isAdult(LocalDate.of(2008, 2, 29), LocalDate.of(2026, 3, 1))).isTrue();
        assertThat(AgeRule.isAdult(LocalDate.of(2030, 1, 1), TODAY)).isFalse(); // a date in the future is nobody's
    }
}
