package org.kinora.media.ffmpeg;

import java.util.function.DoubleConsumer;

/**
 * Turns the key=value lines of {@code ffmpeg -progress pipe:1} into a fraction of the expected
 * duration. Reports are monotonic, clamped to 0..1, and 1.0 is reported once at {@code progress=end}.
 */
final class ProgressParser {
    private final double expectedSeconds;
    private final DoubleConsumer listener;
    private double last = -1;

    ProgressParser(double expectedSeconds, DoubleConsumer listener) {
        this.expectedSeconds = expectedSeconds;
        this.listener = listener;
    }

    void line(String line) {
        if (line.startsWith("out_time_us=") && expectedSeconds > 0) {
            String value = line.substring("out_time_us=".length()).trim();
            try {
                double seconds = Long.parseLong(value) / 1_000_000.0;
                // Never claim completion before ffmpeg says it has finished writing.
                report(Math.min(0.999, seconds / expectedSeconds));
            } catch (NumberFormatException ignored) {
                // "N/A" before the first frame is encoded
            }
        } else if (line.equals("progress=end")) {
            report(1.0);
        }
    }

    private void report(double fraction) {
        double clamped = Math.max(0, Math.min(1, fraction));
        if (clamped > last) {
            last = clamped;
            listener.accept(clamped);
        }
    }
}
