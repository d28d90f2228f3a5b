package org.kinora.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Holds each bench worker's ffmpeg processes to one core of its own: the stand-in for "N one-core
 * machines" that {@code bench/run chunks} needs. {@code transcode.x264-threads = 1} alone does not
 * do it: ffmpeg 8 runs the decoder, every scaler and every encoder on threads of their own, so one
 * worker with one x264 thread still spreads over both cores (measured: 178 s wall for ~190 CPU-s).
 *
 * <p>Workers run in the bench's JVM, but each has its own data directory and so its own copy of
 * the ffmpeg binary ({@code worker-N/tools/...}): a process whose command line starts in
 * {@code worker-N/} belongs to worker N. A daemon thread looks every 50 ms for new such processes
 * and pins all their threads with {@code taskset -a -p -c N}; ffmpeg spends its first tens of
 * milliseconds probing, before its encoder threads start, so what runs unpinned is negligible
 * (threads started later inherit the affinity).
 */
final class CorePinning implements AutoCloseable {
    private final Path dataDir;
    private final int cores;
    private final Set<Long> pinned = new HashSet<>();
    private final Thread thread;
    private volatile boolean running = true;

    CorePinning(Path dataDir, int cores) {
        this.dataDir = dataDir.toAbsolutePath();
        this.cores = cores;
        this.thread = Thread.ofPlatform().daemon().name("core-pinning").start(this::loop);
    }

    private void loop() {
        while (running) {
            try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                for (Path p : procs.filter(d -> d.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                    long pid = Long.parseLong(p.getFileName().toString());
                    if (pinned.contains(pid)) continue;
                    int worker = workerOf(p);
                    if (worker < 0) continue;
                    pinned.add(pid);
                    Process taskset = new ProcessBuilder(List.of("taskset", "-a", "-p", "-c", Integer.toString(worker % cores), Long.toString(pid)))
                            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                    taskset.waitFor(5, TimeUnit.SECONDS);
                }
                Thread.sleep(50);
            } catch (IOException e) {
                Bench.log("core pinning: %s (is util-linux's taskset installed?)", e.getMessage());
                return;
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The worker number whose directory the process's binary is in, or -1. */
    private int workerOf(Path proc) {
        try {
            String cmd = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
            String prefix = dataDir + "/worker-";
            if (!cmd.startsWith(prefix)) return -1;
            int end = prefix.length();
            while (end < cmd.length() && Character.isDigit(cmd.charAt(end))) end++;
            return end == prefix.length() ? -1 : Integer.parseInt(cmd.substring(prefix.length(), end));
        } catch (IOException | NumberFormatException e) {
            return -1; // the process ended meanwhile, or is not ours
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(2000);
    }
}
