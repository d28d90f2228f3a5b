package org.kinora.bench;

/** Wall-clock and child-process CPU seconds of one step. */
record Timed(double wall, double cpu) {
    static final Timed ZERO = new Timed(0, 0);

    Timed plus(Timed other) {
        return new Timed(wall + other.wall, cpu + other.cpu);
    }

    /** Runs the step and measures it. */
    static Timed of(Step step) throws java.io.IOException {
        double cpu0 = ChildCpu.seconds();
        long t0 = System.nanoTime();
        step.run();
        long t1 = System.nanoTime();
        return new Timed(Stats.seconds(t0, t1), ChildCpu.seconds() - cpu0);
    }

    @FunctionalInterface
    interface Step {
        void run() throws java.io.IOException;
    }
}
