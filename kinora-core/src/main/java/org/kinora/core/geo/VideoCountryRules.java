package org.kinora.core.geo;

import java.util.Map;

/** Port: the country rules of videos (a video without rules plays everywhere). */
public interface VideoCountryRules {
    CountryRules find(String videoId);

    /** Replaces the video's rules; {@link CountryRules#NONE} removes them. */
    void save(String videoId, CountryRules rules);

    /** Every video that has rules, for the CDN tiers' copy. */
    Map<String, CountryRules> all();
}
