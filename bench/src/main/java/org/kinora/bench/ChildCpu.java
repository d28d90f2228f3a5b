package org.kinora.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU seconds used by the child processes this JVM has waited for (ffmpeg), from
 * {@code /proc/self/stat}. Wall time is what a creator feels, but on a shared machine it moves
 * with whatever else runs; CPU time shows whether a variant really did more work.
 */
final class ChildCpu {
    /** Linux reports these fields in USER_HZ, which is 100 on every mainstream architecture. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ChildCpu() {}

    /** Seconds of user + system CPU of reaped children so far, or NaN where /proc is unavailable. */
    static double seconds() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // The command name (field 2) may contain spaces; fields are counted after its closing parenthesis.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            // f[0] is field 3 (state), so cutime (field 16) is f[13] and cstime (field 17) is f[14].
            return (Long.parseLong(f[13]) + Long.parseLong(f[14])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** The 1-minute load average, to show how busy the machine was around a measurement. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}
