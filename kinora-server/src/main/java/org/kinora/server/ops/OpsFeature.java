package org.kinora.server.ops;

import java.nio.file.Files;
import java.time.Duration;
import org.kinora.server.feature.Contributions;
import org.kinora.server.feature.Feature;
import org.kinora.server.feature.Platform;

/**
 * Operations: /health/live, /health/ready (every engine's check, ffmpeg, and what the other
 * features add), /metrics, and the outbox retention sweep that API nodes run.
 */
public record OpsFeature(Platform p) implements Feature {
    @Override
    public void contribute(Contributions c) {
        p.engines().healthChecks().forEach(c::readiness);
        c.readiness("ffmpeg", () -> Files.isExecutable(p.ffmpeg().ffmpegExecutable()));
        c.routes(new HealthRoutes(c.readiness(), p.metrics(), p.config().security().metricsToken()));
        Duration retention = p.config().eventRetention();
        if (!retention.isZero()) {
            c.every("deleting old events", Duration.ofMinutes(2), Duration.ofMinutes(10),
                    new OutboxRetention(p.engines().outbox(), retention, p.clock())::run);
        }
    }
}
