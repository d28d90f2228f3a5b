package org.kinora.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How much CPU the rest of the machine used while a benchmark ran: all busy time in
 * {@code /proc/stat} minus this JVM's own and its reaped children's ({@code /proc/self/stat}).
 * The load average is no use for this, because ffmpeg's own encoder threads push it to 4-8 on
 * two cores. Sample only when no ffmpeg child is running, since a child counts once reaped.
 */
final class OtherCpu {
    /** Linux reports these fields in USER_HZ, which is 100 on every mainstream architecture. */
    private static final double TICKS_PER_SECOND = 100.0;

    private final double busyAtStart;
    private final double ownAtStart;
    private final long startNanos = System.nanoTime();

    private OtherCpu(double busy, double own) {
        this.busyAtStart = busy;
        this.ownAtStart = own;
    }

    static OtherCpu start() {
        return new OtherCpu(machineBusy(), own());
    }

    /** E.g. "other processes used 3.1 CPU-s (1% of 2 cores over 152 s)", or a note that /proc is missing. */
    String describe() {
        double other = (machineBusy() - busyAtStart) - (own() - ownAtStart);
        if (Double.isNaN(other)) return "CPU use of other processes unknown (no /proc)";
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        int cores = Runtime.getRuntime().availableProcessors();
        return String.format(Locale.ROOT, "other processes used %.1f CPU-s (%.0f%% of %d cores over %.0f s)",
                Math.max(0, other), 100 * Math.max(0, other) / (cores * elapsed), cores, elapsed);
    }

    /** Seconds of user + system CPU of this JVM's reaped children (ffmpeg) so far, or NaN without /proc. */
    static double childSeconds() {
        long[] f = selfStat();
        return f == null ? Double.NaN : (f[13] + f[14]) / TICKS_PER_SECOND;
    }

    /** This JVM plus its reaped children: utime, stime, cutime, cstime. */
    private static double own() {
        long[] f = selfStat();
        return f == null ? Double.NaN : (f[11] + f[12] + f[13] + f[14]) / TICKS_PER_SECOND;
    }

    /** Busy time of all CPUs: user, nice, system, irq, softirq, steal (not idle, not iowait). */
    private static double machineBusy() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) busy += Long.parseLong(f[i]);
            return busy / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Fields of /proc/self/stat from field 3 (state) on, so field n is at index n - 3; null without /proc. */
    private static long[] selfStat() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // The command name (field 2) may contain spaces; count fields after its closing parenthesis.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            long[] out = new long[15];
            for (int i = 11; i < 15; i++) out[i] = Long.parseLong(f[i]);
            return out;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
