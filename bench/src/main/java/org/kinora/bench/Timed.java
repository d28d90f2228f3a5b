package org.kinora.bench;

import java.io.IOException;

/** Wall-clock and child-process CPU seconds of one step. */
record Timed(double wall, double cpu) {
    static final Timed ZERO = new Timed(0, 0);

    Timed plus(Timed other) {
        return new Timed(wall + other.wall, cpu + other.cpu);
    }

    /** Runs the step and measures it; CPU counts ffmpeg processes that ended during the step. */
    static Timed of(Step step) throws IOException {
        double cpu0 = OtherCpu.childSeconds();
        long t0 = System.nanoTime();
        step.run();
        long t1 = System.nanoTime();
        return new Timed(Stats.seconds(t0, t1), OtherCpu.childSeconds() - cpu0);
    }

    @FunctionalInterface
    interface Step {
        void run() throws IOException;
    }
}
