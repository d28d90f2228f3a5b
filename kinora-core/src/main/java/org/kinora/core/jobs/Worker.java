package org.kinora.core.jobs;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Claims jobs and runs them, keeping each one's lease alive with heartbeats. Runs
 * {@code concurrency} jobs at once; wakes immediately when {@link #wakeUp()} is called (a job
 * was queued in this process) and otherwise polls.
 */
public final class Worker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Worker.class);

    private final JobQueue queue;
    private final Map<String, JobHandler> handlers;
    private final Settings settings;
    private final String workerId;
    private final Semaphore wake = new Semaphore(0);
    private final AtomicBoolean running = new AtomicBoolean();
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("job-heartbeat").daemon().factory());
    private ExecutorService loops;
    private final JobListener listener;

    public record Settings(int concurrency, Duration lease, Duration pollInterval, Backoff backoff) {}

    /** Told when jobs start and end, for metrics. */
    public interface JobListener {
        void finished(Job job, Duration took, String outcome);
    }

    public Worker(JobQueue queue, Iterable<JobHandler> handlers, Settings settings, JobListener listener) {
        this.queue = queue;
        this.handlers = new java.util.HashMap<>();
        for (JobHandler h : handlers) this.handlers.put(h.kind(), h);
        this.settings = settings;
        this.listener = listener;
        this.workerId = ManagementFactory.getRuntimeMXBean().getName() + "/" + Integer.toHexString(System.identityHashCode(this));
    }

    public String workerId() { return workerId; }

    public void start() {
        if (!running.compareAndSet(false, true)) return;
        loops = Executors.newFixedThreadPool(settings.concurrency(), Thread.ofPlatform().name("job-worker-", 1).factory());
        for (int i = 0; i < settings.concurrency(); i++) loops.submit(this::loop);
        log.info("worker {} started: {} job(s) at once, lease {}", workerId, settings.concurrency(), settings.lease());
    }

    /** A job was queued: look now rather than at the next poll. */
    public void wakeUp() {
        wake.release(settings.concurrency());
    }

    private void loop() {
        while (running.get()) {
            try {
                var job = queue.claim(workerId, settings.lease());
                if (job.isPresent()) {
                    runOne(job.get());
                } else {
                    wake.tryAcquire(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                    wake.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // The store may be briefly unreachable; keep the loop alive and back off a little.
                log.warn("worker {} could not claim a job: {}", workerId, e.toString());
                sleepQuietly(settings.pollInterval());
            }
        }
    }

    private void runOne(Job job) {
        JobHandler handler = handlers.get(job.kind());
        long started = System.nanoTime();
        MDC.put("job", Long.toString(job.id()));
        MDC.put("video", job.videoId());
        Thread runner = Thread.currentThread();
        AtomicBoolean leaseLost = new AtomicBoolean();
        long every = Math.max(200, settings.lease().toMillis() / 3);
        ScheduledFuture<?> beat = heartbeats.scheduleAtFixedRate(() -> {
            try {
                if (!queue.heartbeat(job.id(), workerId, settings.lease()) && leaseLost.compareAndSet(false, true)) {
                    log.warn("lost the lease on job {}; stopping it", job.id());
                    runner.interrupt();
                }
            } catch (RuntimeException e) {
                log.warn("heartbeat for job {} failed: {}", job.id(), e.toString());
            }
        }, every, every, TimeUnit.MILLISECONDS);
        String outcome;
        try {
            if (handler == null) throw new IllegalStateException("no handler for job kind '" + job.kind() + "'");
            if (job.attempts() > job.maxAttempts()) {
                // Reclaimed after its last attempt's worker died: dead-letter instead of looping forever.
                throw new IllegalStateException("the workers running this job stopped responding on all "
                        + job.maxAttempts() + " attempts");
            }
            log.info("job {} ({}) attempt {}/{} started", job.id(), job.kind(), job.attempts(), job.maxAttempts());
            handler.run(job, () -> workerId);
            beat.cancel(false);
            if (leaseLost.get()) {
                outcome = "lease_lost";
            } else {
                queue.complete(job.id(), workerId);
                outcome = "completed";
            }
        } catch (Exception e) {
            beat.cancel(false);
            Thread.interrupted(); // clear a heartbeat interrupt before touching the store
            if (leaseLost.get() || !running.get()) {
                outcome = "abandoned";
                log.info("job {} abandoned ({}); another worker will take it", job.id(), e.toString());
            } else {
                String error = describe(e);
                boolean dead = queue.fail(job.id(), workerId, error, settings.backoff().delayAfter(job.attempts()));
                outcome = dead ? "dead_lettered" : "retried";
                log.warn("job {} attempt {}/{} failed: {}", job.id(), job.attempts(), job.maxAttempts(), error, e);
                if (dead && handler != null) {
                    try {
                        handler.onDeadLetter(job, error);
                    } catch (RuntimeException deadLetterError) {
                        log.error("dead-letter handling of job {} failed", job.id(), deadLetterError);
                    }
                }
            }
        } finally {
            beat.cancel(false);
            MDC.remove("job");
            MDC.remove("video");
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        log.info("job {} {} after {} ms", job.id(), outcome, took.toMillis());
        listener.finished(job, took, outcome);
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        String text = message == null ? e.getClass().getSimpleName() : message;
        return text.length() > 2000 ? text.substring(0, 2000) : text;
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops claiming and interrupts running jobs; their leases lapse and others take them. */
    @Override
    public void close() {
        if (!running.compareAndSet(true, false)) return;
        loops.shutdownNow();
        heartbeats.shutdownNow();
        try {
            loops.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
