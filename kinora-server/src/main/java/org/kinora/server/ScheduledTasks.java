package org.kinora.server;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.kinora.server.feature.Contributions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the features' periodic tasks on two daemon threads (so that a long sweep does not hold up
 * the frequent view flush). A failed run is logged and the next one goes ahead. Closing stops
 * the tasks and waits up to 5 s for a running one to finish, so that what closes after it (the
 * last view flush, the database) does not run beside it.
 */
final class ScheduledTasks implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ScheduledTasks.class);

    private final ScheduledExecutorService scheduler;

    private ScheduledTasks(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    static ScheduledTasks start(List<Contributions.Task> tasks) {
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, Thread.ofPlatform().name("kinora-tasks-", 0).daemon().factory());
        for (Contributions.Task t : tasks) {
            scheduler.scheduleWithFixedDelay(() -> {
                try {
                    t.body().run();
                } catch (Exception e) {
                    log.warn("{} failed: {}", t.name(), e.toString());
                }
            }, t.initialDelay().toMillis(), t.period().toMillis(), TimeUnit.MILLISECONDS);
        }
        return new ScheduledTasks(scheduler);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
