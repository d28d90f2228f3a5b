package org.kinora.server.ops;

import static org.kinora.server.http.Doc.doc;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.kinora.server.http.Api;
import org.kinora.server.http.Routes;

/**
 * {@code /health/live}: the process answers. {@code /health/ready}: every dependency it needs to
 * serve answers too (503 with the failing checks otherwise). {@code /metrics}: Prometheus.
 */
public final class HealthRoutes implements Routes {
    private final Map<String, BooleanSupplier> readinessChecks;
    private final Metrics metrics;

    /** {@code readinessChecks} is read at every request, so checks the features add after this is built count too. */
    public HealthRoutes(Map<String, BooleanSupplier> readinessChecks, Metrics metrics) {
        this.readinessChecks = readinessChecks;
        this.metrics = metrics;
    }

    @Override
    public void register(Api app) {
        app.get("/health/live", doc("Liveness: the process answers"), ctx -> ctx.json(Map.of("status", "up")));
        app.get("/health/ready", doc("Readiness: every engine this node needs answers (503 with the failing checks otherwise)"), ctx -> {
            Map<String, String> checks = new LinkedHashMap<>();
            boolean ready = true;
            for (var check : readinessChecks.entrySet()) {
                boolean ok;
                try {
                    ok = check.getValue().getAsBoolean();
                } catch (RuntimeException e) {
                    ok = false;
                }
                checks.put(check.getKey(), ok ? "up" : "down");
                ready &= ok;
            }
            ctx.status(ready ? 200 : 503).json(Map.of("status", ready ? "up" : "down", "checks", checks));
        });
        app.get("/metrics", doc("Prometheus metrics"), ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
    }
}
