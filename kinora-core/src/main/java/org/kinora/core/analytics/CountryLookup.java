package org.kinora.core.analytics;

import java.util.Optional;

/**
 * Port: the country an IP address is in, as an ISO 3166-1 alpha-2 code ("FR"). Kinora ships no
 * implementation; when none is wired, analytics leave countries out instead of guessing. An
 * adapter (an mmdb reader, say) answers empty for addresses it does not know.
 */
@FunctionalInterface
public interface CountryLookup {
    Optional<String> country(String ip);

    /** No lookup: every address is unknown. */
    CountryLookup NONE = ip -> Optional.empty();
}
