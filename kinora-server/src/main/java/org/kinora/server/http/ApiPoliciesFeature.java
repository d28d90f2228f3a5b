package org.kinora.server.http;

import java.time.Duration;
import org.kinora.adapters.postgres.PgIdempotencyRepository;
import org.kinora.core.common.RateLimiter;
import org.kinora.server.feature.Contributions;
import org.kinora.server.feature.Feature;
import org.kinora.server.feature.Platform;
import org.kinora.server.feature.SharedServices;

/**
 * The API's cross-cutting rules: one write budget per caller ({@code engagement.writes-per-minute})
 * and {@code Idempotency-Key} replay; stored idempotent responses are deleted after 24 hours.
 */
public record ApiPoliciesFeature(Platform p, SharedServices shared) implements Feature {
    @Override
    public void contribute(Contributions c) {
        int writes = p.config().engagement().writesPerMinute();
        var idempotency = new PgIdempotencyRepository(p.engines().database());
        var writeBudget = new RateLimiter("write", writes, writes, p.clock());
        // Admins set the budget at run time (instance settings); it replaces the config value.
        shared.instanceSettings.onChange(s -> writeBudget.setPerMinute(s.writesPerMinute(), s.writesPerMinute()));
        c.routes(new WriteRateLimit(writeBudget, shared.auth),
                new IdempotencyFilter(idempotency, shared.auth));
        c.every("pruning idempotency keys", Duration.ofMinutes(5), Duration.ofMinutes(60),
                () -> idempotency.deleteOlderThan(p.clock().now().minus(Duration.ofHours(24))));
    }
}
