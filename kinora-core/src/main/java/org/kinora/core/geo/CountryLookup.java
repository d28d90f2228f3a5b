package org.kinora.core.geo;

import java.util.Optional;

/** Port: the country an IP address is in (ISO 3166-1 alpha-2, upper case), when the database knows it. */
@FunctionalInterface
public interface CountryLookup {
    /** {@code address}: an IPv4 or IPv6 literal. Empty for private, loopback, unknown or malformed addresses. */
    Optional<String> country(String address);

    /** Knows no country (geo restrictions then only apply to requests whose country a trusted proxy states). */
    static CountryLookup none() {
        return address -> Optional.empty();
    }
}
