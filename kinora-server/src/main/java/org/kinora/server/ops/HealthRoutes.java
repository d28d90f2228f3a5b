package org.kinora.server.ops;

import static org.kinora.server.http.Doc.doc;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.kinora.core.common.KinoraException;
import org.kinora.server.http.ForwardedHeaders;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.kinora.server.http.Api;
import org.kinora.server.http.Routes;

/**
 * {@code /health/live}: the process answers. {@code /health/ready}: every dependency it needs to
 * serve answers too (503 with the failing checks otherwise). {@code /metrics}: Prometheus, for
 * {@code Authorization: Bearer <metrics.token>} when a token is configured, otherwise only for
 * clients on this machine (the server binds every interface by default, and the metrics name
 * routes, queues and load).
 */
public final class HealthRoutes implements Routes {
    private final Map<String, BooleanSupplier> readinessChecks;
    private final Metrics metrics;

    private final Optional<String> token;

    /** {@code readinessChecks} is read at every request, so checks the features add after this is built count too. */
    public HealthRoutes(Map<String, BooleanSupplier> readinessChecks, Metrics metrics, Optional<String> token) {
        this.readinessChecks = readinessChecks;
        this.metrics = metrics;
        this.token = token;
    }

    @Override
    public void register(Api app) {
        app.get("/health/live", doc("Liveness: the process answers"), ctx -> ctx.json(Map.of("status", "up")));
        app.get("/health/ready", doc("Readiness: every engine this node needs answers (503 with the failing checks otherwise)"), ctx -> {
            Map<String, String> checks = runChecks(readinessChecks);
            boolean ready = !checks.containsValue("down");
            ctx.status(ready ? 200 : 503).json(Map.of("status", ready ? "up" : "down", "checks", checks));
        });
        app.get("/metrics", doc("Prometheus metrics (this machine, or Authorization: Bearer <metrics.token>)"), ctx -> {
            requireScraper(ctx);
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
        });
    }

    /** Every check's answer, "up" or "down" (false or an exception), by name. Also the admin health page's. */
    public static Map<String, String> runChecks(Map<String, BooleanSupplier> readinessChecks) {
        Map<String, String> checks = new LinkedHashMap<>();
        for (var check : readinessChecks.entrySet()) {
            boolean ok;
            try {
                ok = check.getValue().getAsBoolean();
            } catch (RuntimeException e) {
                ok = false;
            }
            checks.put(check.getKey(), ok ? "up" : "down");
        }
        return checks;
    }

    private void requireScraper(Context ctx) {
        if (token.isEmpty()) {
            if (!ForwardedHeaders.isLoopbackClient(ctx)) {
                throw KinoraException.forbidden("/metrics answers only this machine; set metrics.token and scrape with "
                        + "'Authorization: Bearer <metrics.token>' from elsewhere.");
            }
            return;
        }
        String header = ctx.header("Authorization");
        byte[] expected = ("Bearer " + token.get()).getBytes(StandardCharsets.UTF_8);
        if (header == null || !MessageDigest.isEqual(expected, header.getBytes(StandardCharsets.UTF_8))) {
            throw KinoraException.unauthorized("metrics_token_required", "Send 'Authorization: Bearer <metrics.token>' to read /metrics.");
        }
    }
}
