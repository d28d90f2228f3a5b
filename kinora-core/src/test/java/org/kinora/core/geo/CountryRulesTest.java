package org.kinora.core.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class CountryRulesTest {
    @Test
    void blockListRefusesItsCountriesAndLetsUnknownPass() {
        CountryRules rules = CountryRules.of(List.of(), List.of("de", "AT"));
        assertThat(rules.refusal(Optional.of("DE"))).get().asString().contains("(DE)");
        assertThat(rules.refusal(Optional.of("FR"))).isEmpty();
        assertThat(rules.refusal(Optional.empty())).isEmpty();
    }

    @Test
    void allowListRefusesOtherAndUnknownCountries() {
        CountryRules rules = CountryRules.of(List.of("FR"), List.of());
        assertThat(rules.refusal(Optional.of("FR"))).isEmpty();
        assertThat(rules.refusal(Optional.of("US"))).isPresent();
        assertThat(rules.refusal(Optional.empty())).get().asString().contains("could not be determined");
    }

    @Test
    void onlyTwoLetterCodesAreAccepted() {
        assertThatThrownBy(() -> CountryRules.of(List.of("France"), List.of())).hasMessageContaining("two-letter");
        assertThat(CountryRules.of(null, null).isEmpty()).isTrue();
    }
}
