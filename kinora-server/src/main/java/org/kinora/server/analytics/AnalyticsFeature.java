package org.kinora.server.analytics;

import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import org.kinora.adapters.postgres.PgAnalyticsRepository;
import org.kinora.core.analytics.AnalyticsIngest;
import org.kinora.core.analytics.AnalyticsService;
import org.kinora.server.feature.Contributions;
import org.kinora.server.feature.Feature;
import org.kinora.server.feature.Platform;
import org.kinora.server.feature.SharedServices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Studio analytics: the {@code analytics} outbox consumer turns play events (and ratings,
 * comments, subscriptions) into rollups; the API and the Studio page read them. Raw events, hourly
 * and per-minute rollups are pruned after {@code analytics.raw-retention-days}.
 */
public record AnalyticsFeature(Platform p, SharedServices shared) implements Feature {
    private static final Logger log = LoggerFactory.getLogger(AnalyticsFeature.class);

    @Override
    public void contribute(Contributions c) {
        var repo = new PgAnalyticsRepository(p.engines().database());
        Counter ingested = Counter.builder("kinora.analytics.play.events").description("Play events added to the analytics rollups")
                .register(c.meters());
        // At scale the play events come through Kafka (the outbox relayed), the log that scales out.
        c.consumeEventLog(AnalyticsIngest.CONSUMER, AnalyticsIngest.TYPES, new AnalyticsIngest(repo, ingested::increment));
        var service = new AnalyticsService(repo, shared.videos, p.clock(), true /* the IP-to-country database is bundled */);
        c.routes(new AnalyticsRoutes(service, shared.auth));
        Duration keep = p.config().analytics().rawRetention();
        c.every("pruning analytics", Duration.ofMinutes(10), Duration.ofHours(1), () -> {
            var now = p.clock().now();
            int n = repo.prune(now.minus(keep), now.minus(Duration.ofDays(1)), now.minus(Duration.ofHours(6)));
            if (n > 0) log.info("pruned {} analytics rows older than their retention", n);
        });
    }
}
