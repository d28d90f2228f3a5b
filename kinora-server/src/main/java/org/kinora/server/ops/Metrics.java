package org.kinora.server.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.kinora.core.jobs.Job;
import org.kinora.core.jobs.JobQueue;
import org.kinora.core.jobs.Worker;

/** Kinora's Prometheus metrics, named once here so that dashboards have one place to look. */
public final class Metrics implements Worker.JobListener {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter uploadsCreated;
    private final Counter uploadsCompleted;
    private final Counter uploadBytes;
    private final DistributionSummary timeToPlayable;

    public Metrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        uploadsCreated = Counter.builder("kinora.uploads.created").description("tus uploads created").register(registry);
        uploadsCompleted = Counter.builder("kinora.uploads.completed").description("tus uploads whose last byte arrived").register(registry);
        uploadBytes = Counter.builder("kinora.upload.bytes").baseUnit("bytes").description("bytes received by tus PATCH/POST").register(registry);
        timeToPlayable = DistributionSummary.builder("kinora.time.to.playable").baseUnit("seconds")
                .description("from upload complete to the first rendition playable")
                .publishPercentiles(0.5, 0.95).register(registry);
    }

    public PrometheusMeterRegistry registry() { return registry; }

    public String scrape() { return registry.scrape(); }

    public void uploadCreated() { uploadsCreated.increment(); }

    public void uploadCompleted() { uploadsCompleted.increment(); }

    public void uploadBytes(long n) { if (n > 0) uploadBytes.increment(n); }

    public void timeToPlayable(Duration d) { timeToPlayable.record(d.toMillis() / 1000.0); }

    public void httpRequest(String method, String route, int status, long nanos) {
        // Looked up in a map of our own: building the meter's id and tags for the registry's lookup cost more than the
        // rest of a media request's checks. A method outside HTTP's own (any token can be sent) is counted as OTHER, so
        // a client cannot grow the registry.
        String m = STANDARD_METHODS.contains(method) ? method : "OTHER";
        requestTimers.computeIfAbsent(new RequestKey(m, route, status), k -> Timer.builder("kinora.http.server.requests")
                .description("HTTP request latency by route")
                .tag("method", k.method()).tag("route", k.route()).tag("status", Integer.toString(k.status()))
                .register(registry)).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private record RequestKey(String method, String route, int status) {}

    private static final java.util.Set<String> STANDARD_METHODS =
            java.util.Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT");
    private final java.util.concurrent.ConcurrentHashMap<RequestKey, Timer> requestTimers = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public void finished(Job job, Duration took, String outcome) {
        Timer.builder("kinora.jobs.duration").description("time a job attempt took, by kind and outcome")
                .tag("kind", job.kind()).tag("outcome", outcome)
                .register(registry).record(took);
    }

    /** Queue depth gauges; the stats query runs at most once per scrape interval. */
    public void watchQueue(JobQueue queue) {
        Supplier<JobQueue.QueueStats> stats = new CachedStats(queue);
        Gauge.builder("kinora.jobs.queued", () -> stats.get().queued()).description("jobs waiting to run").register(registry);
        Gauge.builder("kinora.jobs.running", () -> stats.get().running()).description("jobs leased by a worker").register(registry);
        Gauge.builder("kinora.jobs.dead", () -> stats.get().dead()).description("jobs that used all their attempts").register(registry);
    }

    private static final class CachedStats implements Supplier<JobQueue.QueueStats> {
        private final JobQueue queue;
        private final AtomicReference<JobQueue.QueueStats> last = new AtomicReference<>(new JobQueue.QueueStats(0, 0, 0));
        private volatile long fetchedAt;

        CachedStats(JobQueue queue) {
            this.queue = queue;
        }

        @Override
        public JobQueue.QueueStats get() {
            long now = System.nanoTime();
            if (now - fetchedAt > 2_000_000_000L) {
                try {
                    last.set(queue.stats());
                } catch (RuntimeException e) {
                    // keep the last value; readiness reports the database
                }
                fetchedAt = now;
            }
            return last.get();
        }
    }
}
