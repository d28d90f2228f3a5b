package org.kinora.bench;

import java.util.List;
import java.util.Locale;

/** The few numbers the tables need. Medians, because one slow run (another build, a GC) should not move the result. */
final class Stats {
    private Stats() {}

    /** The 1, 5 and 15 minute load averages, for reports: figures on a shared machine need the load beside them. */
    static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) throw new IllegalArgumentException("no values");
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static double seconds(long startNanos, long endNanos) {
        return (endNanos - startNanos) / 1e9;
    }

    static String s(double seconds) {
        return String.format(Locale.ROOT, "%.1f s", seconds);
    }

    static String x(double ratio) {
        return String.format(Locale.ROOT, "%.2fx", ratio);
    }

    static String all(List<Double> values) {
        return String.join(" / ", values.stream().map(v -> String.format(Locale.ROOT, "%.1f", v)).toList());
    }

    static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
