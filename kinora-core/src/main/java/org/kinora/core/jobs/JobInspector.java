package org.kinora.core.jobs;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Port: what an operator sees of the job queue and the replay it promises. Dead jobs stay in the
 * record with their last error; replaying one queues it again with fresh attempts. Both queues
 * (PostgreSQL and Kafka) keep that record in the {@code jobs} table, so one implementation serves
 * both: on Kafka a replayed row is unpublished again and the relay sends it to the jobs topic.
 */
public interface JobInspector {
    /** One job as the record holds it; {@code lastError} is the error of its latest failed attempt. */
    record JobRecord(long id, String kind, String videoId, String status, int attempts, int maxAttempts, String lastError,
                     Instant runAt, Instant createdAt, Instant updatedAt) {}

    /** Jobs by count of state, per kind. */
    record KindCounts(String kind, long queued, long running, long dead, long done) {}

    /** Newest first; {@code status} and {@code kind} filter when present; {@code beforeId} continues a page. */
    List<JobRecord> list(Optional<String> status, Optional<String> kind, Optional<Long> beforeId, int limit);

    Optional<JobRecord> find(long id);

    List<KindCounts> counts();

    /**
     * Queues the dead job again with its attempts reset; empty when it is not dead, or when a job
     * of the same kind is already pending for its video (that one will do the work).
     */
    Optional<JobRecord> replay(long id);

    /** Replays every dead job of {@code kind} (the newest per video); returns those queued again. */
    List<JobRecord> replayDead(String kind);
}
