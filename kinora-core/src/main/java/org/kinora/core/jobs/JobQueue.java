package org.kinora.core.jobs;

import java.time.Duration;
import java.util.Optional;

/**
 * Port: a durable queue with leases. A claimed job belongs to one worker until its lease runs
 * out; a worker that dies stops heartbeating, and the job is claimed again by another.
 */
public interface JobQueue {

    /** Queues the job unless the same kind and part is already pending or running for that video. */
    void enqueue(JobRequest request);

    /** The most urgent runnable job, leased to {@code workerId}: queued and due, or whose lease expired. */
    Optional<Job> claim(String workerId, Duration lease);

    /** Extends the lease; false when the worker no longer holds the job (it was reclaimed). */
    boolean heartbeat(long jobId, String workerId, Duration lease);

    void complete(long jobId, String workerId);

    /**
     * Records a failed attempt: the job runs again after {@code retryDelay}, or is dead-lettered
     * when it has used all its attempts. Returns true when it was dead-lettered.
     */
    boolean fail(long jobId, String workerId, String error, Duration retryDelay);

    QueueStats stats();

    /** Counts by state, for metrics and health. */
    record QueueStats(long queued, long running, long dead) {}
}
