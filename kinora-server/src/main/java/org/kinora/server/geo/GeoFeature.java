package org.kinora.server.geo;

import org.kinora.adapters.postgres.PgVideoCountryRules;
import org.kinora.server.feature.Contributions;
import org.kinora.server.feature.Feature;
import org.kinora.server.feature.Platform;
import org.kinora.server.feature.SharedServices;

/** Geo restrictions: per-video country rules enforced by the API, the media origin and the CDN tiers (docs/edge.md). */
public record GeoFeature(Platform p, SharedServices shared) implements Feature {
    @Override
    public void contribute(Contributions c) {
        var store = new PgVideoCountryRules(p.engines().database());
        var rules = shared.countryRules;
        c.every("country-rules", java.time.Duration.ZERO, java.time.Duration.ofSeconds(1), rules::refresh);
        c.routes(new GeoRoutes(store, rules, shared.countryLookup, shared.videos, shared.auth));
    }
}
