package org.kinora.server.views;

import java.time.Duration;
import org.kinora.core.common.RateLimiter;
import org.kinora.server.feature.Contributions;
import org.kinora.server.feature.Feature;
import org.kinora.server.feature.Platform;
import org.kinora.server.feature.SharedServices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Views and watch history: play events are counted in memory and written in batches every
 * {@code engagement.view-flush-interval}; the marks that de-duplicate views expire after the view
 * window. What is still buffered at shutdown is written before the database closes.
 */
public record ViewsFeature(Platform p, SharedServices shared) implements Feature {
    private static final Logger log = LoggerFactory.getLogger(ViewsFeature.class);

    @Override
    public void contribute(Contributions c) {
        var settings = p.config().engagement();
        RateLimiter playEvents = new RateLimiter("play event", settings.playEventsPerMinute(), settings.playEventsPerMinute(), p.clock());
        c.routes(new ViewRoutes(shared.history, shared.videoViews, shared.auth, playEvents, shared.countryLookup));
        Duration flush = settings.viewFlushInterval();
        c.every("writing play events", flush, flush, this::flushViews);
        c.every("pruning view marks", Duration.ofMinutes(5), Duration.ofMinutes(60),
                () -> shared.viewMarks.pruneMarks(p.clock().now().minus(settings.viewWindow())));
        // Added before the scheduler exists, so closed after it stopped: no flush runs beside this last one.
        c.closeOnStop(this::flushViews);
    }

    private void flushViews() {
        try {
            shared.views.flush();
        } catch (RuntimeException e) {
            // The batch is lost (views are allowed to be approximate); the next flush starts clean.
            log.warn("writing play events failed: {}", e.toString());
        }
    }
}
