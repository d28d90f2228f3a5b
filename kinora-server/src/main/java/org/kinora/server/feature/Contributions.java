package org.kinora.server.feature;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.kinora.core.events.EventDispatcher;
import org.kinora.core.events.EventHandler;
import org.kinora.core.events.EventType;
import org.kinora.core.jobs.JobHandler;
import org.kinora.server.Closer;
import org.kinora.server.engines.Engines;
import org.kinora.server.http.Routes;
import org.kinora.server.ops.Metrics;

/**
 * What the features add to one process, collected at boot. Kinora starts the parts this role
 * runs: the routes in the web server (serving roles), the job handlers in the worker (working
 * roles), the scheduled tasks on one scheduler; consumers subscribe to the event dispatcher
 * directly. Resources close in the reverse order they were added, after the web server and the
 * worker have stopped.
 */
public final class Contributions {
    /** A task run every {@code period} after {@code initialDelay}; a failed run is logged and the next one goes ahead. */
    public record Task(String name, Duration initialDelay, Duration period, Work body) {}

    /** The body of a scheduled task. */
    @FunctionalInterface
    public interface Work {
        void run() throws Exception;
    }

    private final EventDispatcher dispatcher;
    private final Engines engines;
    private final Metrics metrics;
    private final Closer closer;
    private final List<Routes> routes = new ArrayList<>();
    private final List<JobHandler> jobHandlers = new ArrayList<>();
    private final List<Task> tasks = new ArrayList<>();
    private final Map<String, BooleanSupplier> readiness = new LinkedHashMap<>();

    public Contributions(EventDispatcher dispatcher, Engines engines, Metrics metrics, Closer closer) {
        this.dispatcher = dispatcher;
        this.engines = engines;
        this.metrics = metrics;
        this.closer = closer;
    }

    /** HTTP endpoints, in the order given (filters before the endpoints they guard). */
    public void routes(Routes... r) { routes.addAll(List.of(r)); }

    public void jobHandler(JobHandler handler) { jobHandlers.add(handler); }

    /** A consumer of domain events: {@code consumer} names its position in the outbox (one per consumer, kept across restarts). */
    public void consume(String consumer, Set<EventType> types, EventHandler handler) {
        dispatcher.subscribe(consumer, types, handler);
    }

    /**
     * A high-volume consumer that reads the event log which scales out: the Kafka events topic when
     * the outbox is relayed there ({@code events.relay = kafka}; a consumer group named after
     * {@code consumer}, whose members on several nodes share the partitions), else the outbox like
     * {@link #consume}. Delivery is at least once either way, each batch inside a database
     * transaction, so the handler deduplicates by event id.
     */
    public void consumeEventLog(String consumer, Set<EventType> types, EventHandler handler) {
        engines.consumeEventLog(consumer, types, handler).ifPresentOrElse(closer::add, () -> consume(consumer, types, handler));
    }

    public void every(String name, Duration initialDelay, Duration period, Work body) {
        tasks.add(new Task(name, initialDelay, period, body));
    }

    /** A check /health/ready runs: false or an exception makes the node not ready (503). */
    public void readiness(String name, BooleanSupplier check) {
        if (readiness.putIfAbsent(name, check) != null) throw new IllegalStateException("two readiness checks are named " + name);
    }

    public MeterRegistry meters() { return metrics.registry(); }

    public Metrics metrics() { return metrics; }

    /** Closed at shutdown, after the web server, the worker and the scheduled tasks have stopped. */
    public <T extends AutoCloseable> T closeOnStop(T resource) { return closer.add(resource); }

    public List<Routes> routes() { return Collections.unmodifiableList(routes); }

    public List<JobHandler> jobHandlers() { return Collections.unmodifiableList(jobHandlers); }

    public List<Task> tasks() { return Collections.unmodifiableList(tasks); }

    /** A live view: checks added after the health routes were built still count. */
    public Map<String, BooleanSupplier> readiness() { return Collections.unmodifiableMap(readiness); }
}
