package org.kinora.core.geo;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.kinora.core.common.KinoraException;

/**
 * Where a video may play: only in {@code allowed} countries (when that list is not empty), and
 * never in {@code blocked} ones. A viewer whose country is unknown passes a block list but not an
 * allow list: a video licensed for some countries only must not play where that cannot be shown.
 */
public record CountryRules(Set<String> allowed, Set<String> blocked) {
    public static final CountryRules NONE = new CountryRules(Set.of(), Set.of());
    private static final int MAX_COUNTRIES = 250;

    public CountryRules {
        allowed = Set.copyOf(new TreeSet<>(allowed));
        blocked = Set.copyOf(new TreeSet<>(blocked));
    }

    /** Validated and upper-cased from what an owner sent; 400 on anything but two-letter codes. */
    public static CountryRules of(List<String> allowed, List<String> blocked) {
        return new CountryRules(codes(allowed, "allowed_countries"), codes(blocked, "blocked_countries"));
    }

    private static Set<String> codes(List<String> raw, String field) {
        if (raw == null) return Set.of();
        if (raw.size() > MAX_COUNTRIES) throw KinoraException.badRequest("invalid_countries", field + " holds at most " + MAX_COUNTRIES + " codes.");
        Set<String> out = new TreeSet<>();
        for (String c : raw) {
            if (c == null || !c.matches("[A-Za-z]{2}")) {
                throw KinoraException.badRequest("invalid_countries", field + " holds ISO 3166-1 two-letter country codes (FR, US), not '" + c + "'.");
            }
            out.add(c.toUpperCase(Locale.ROOT));
        }
        return out;
    }

    public boolean isEmpty() { return allowed.isEmpty() && blocked.isEmpty(); }

    /** Why the video may not play for a viewer in {@code country}, or empty when it may. */
    public Optional<String> refusal(Optional<String> country) {
        if (country.isPresent() && blocked.contains(country.get())) {
            return Optional.of("This video is not available in your country (" + country.get() + ").");
        }
        if (!allowed.isEmpty() && (country.isEmpty() || !allowed.contains(country.get()))) {
            return Optional.of(country.map(c -> "This video is not available in your country (" + c + ").")
                    .orElse("This video is only available in some countries, and yours could not be determined."));
        }
        return Optional.empty();
    }
}
