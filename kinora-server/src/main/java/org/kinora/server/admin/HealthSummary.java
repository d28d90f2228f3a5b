package org.kinora.server.admin;

import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.kinora.server.ops.HealthRoutes;

/**
 * What the admin health page shows: the same checks as {@code /health/ready}, and the meters of
 * {@code /metrics} an operator looks at first (Kinora's own, HTTP, JVM memory, CPU, uptime),
 * summed over their tags so that the page stays short.
 */
final class HealthSummary {
    private static final List<String> PREFIXES = List.of("kinora.", "http.server.requests", "jvm.memory.used", "jvm.threads.live",
            "process.uptime", "process.cpu.usage", "system.cpu.usage", "system.load.average");

    private final Map<String, BooleanSupplier> checks;
    private final MeterRegistry registry;

    HealthSummary(Map<String, BooleanSupplier> checks, MeterRegistry registry) {
        this.checks = checks;
        this.registry = registry;
    }

    record Summary(String status, Map<String, String> checks, List<MeterView> meters) {}

    /** One meter name; {@code values} per statistic (count, total_time, max, value), summed over tags (max: the largest). */
    record MeterView(String name, String unit, Map<String, Double> values) {}

    Summary summary() {
        Map<String, String> results = HealthRoutes.runChecks(checks);
        boolean ready = !results.containsValue("down");
        Map<String, Map<String, Double>> byName = new TreeMap<>();
        Map<String, String> units = new LinkedHashMap<>();
        for (Meter m : registry.getMeters()) {
            String name = m.getId().getName();
            if (PREFIXES.stream().noneMatch(name::startsWith)) continue;
            Map<String, Double> values = byName.computeIfAbsent(name, k -> new TreeMap<>());
            if (m.getId().getBaseUnit() != null) units.put(name, m.getId().getBaseUnit());
            for (Measurement x : m.measure()) {
                double v = x.getValue();
                if (Double.isNaN(v) || Double.isInfinite(v)) continue;
                String stat = x.getStatistic().name().toLowerCase(java.util.Locale.ROOT);
                values.merge(stat, v, stat.equals("max") ? Math::max : Double::sum);
            }
        }
        List<MeterView> meters = new ArrayList<>();
        byName.forEach((name, values) -> meters.add(new MeterView(name, units.get(name), values)));
        return new Summary(ready ? "up" : "down", results, meters);
    }
}
