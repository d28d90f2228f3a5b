package org.kinora.adapters.postgres;

import java.time.Duration;
import java.util.Optional;
import org.kinora.core.jobs.Job;
import org.kinora.core.jobs.JobQueue;
import org.kinora.core.jobs.JobRequest;

/**
 * The job queue as a PostgreSQL table. Workers claim with {@code FOR UPDATE SKIP LOCKED}, so
 * any number of them share the table without blocking each other; a claim is a lease that the
 * worker extends by heartbeat, and a job whose lease ran out is claimed again.
 */
public final class PgJobQueue implements JobQueue {
    private final PostgresDatabase db;

    public PgJobQueue(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public void enqueue(JobRequest r) {
        db.useHandle(h -> h.createUpdate("""
                        INSERT INTO jobs (kind, video_id, priority, status, max_attempts)
                        VALUES (:kind, :video, :priority, 'queued', :max)
                        ON CONFLICT (kind, video_id) WHERE status IN ('queued', 'running') DO NOTHING""")
                .bind("kind", r.kind()).bind("video", r.videoId()).bind("priority", r.priority())
                .bind("max", r.maxAttempts()).execute());
    }

    @Override
    public Optional<Job> claim(String workerId, Duration lease) {
        return db.withHandle(h -> h.createQuery("""
                        UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_owner = :worker,
                               lease_until = clock_timestamp() + make_interval(secs => :leaseSeconds), updated_at = now()
                        WHERE id = (
                            SELECT id FROM jobs
                            WHERE (status = 'queued' AND run_at <= clock_timestamp())
                               OR (status = 'running' AND lease_until < clock_timestamp())
                            ORDER BY priority DESC, run_at, id
                            LIMIT 1
                            FOR UPDATE SKIP LOCKED)
                        RETURNING id, kind, video_id, priority, attempts, max_attempts""")
                .bind("worker", workerId).bind("leaseSeconds", lease.toMillis() / 1000.0)
                .map((rs, ctx) -> new Job(rs.getLong("id"), rs.getString("kind"), rs.getString("video_id"),
                        rs.getInt("priority"), rs.getInt("attempts"), rs.getInt("max_attempts")))
                .findOne());
    }

    @Override
    public boolean heartbeat(long jobId, String workerId, Duration lease) {
        return db.withHandle(h -> h.createUpdate("""
                        UPDATE jobs SET lease_until = clock_timestamp() + make_interval(secs => :leaseSeconds), updated_at = now()
                        WHERE id = :id AND status = 'running' AND lease_owner = :worker""")
                .bind("id", jobId).bind("worker", workerId).bind("leaseSeconds", lease.toMillis() / 1000.0)
                .execute()) == 1;
    }

    @Override
    public void complete(long jobId, String workerId) {
        db.useHandle(h -> h.createUpdate("""
                        UPDATE jobs SET status = 'done', lease_owner = NULL, lease_until = NULL, updated_at = now()
                        WHERE id = :id AND lease_owner = :worker""")
                .bind("id", jobId).bind("worker", workerId).execute());
    }

    @Override
    public boolean fail(long jobId, String workerId, String error, Duration retryDelay) {
        return db.withHandle(h -> h.createQuery("""
                        UPDATE jobs SET
                            status = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'queued' END,
                            run_at = clock_timestamp() + make_interval(secs => :delaySeconds),
                            lease_owner = NULL, lease_until = NULL, last_error = :error, updated_at = now()
                        WHERE id = :id AND lease_owner = :worker
                        RETURNING status""")
                .bind("id", jobId).bind("worker", workerId).bind("error", error)
                .bind("delaySeconds", retryDelay.toMillis() / 1000.0)
                .mapTo(String.class).findOne().map("dead"::equals).orElse(false));
    }

    @Override
    public QueueStats stats() {
        return db.withHandle(h -> h.createQuery("""
                        SELECT count(*) FILTER (WHERE status = 'queued') AS queued,
                               count(*) FILTER (WHERE status = 'running') AS running,
                               count(*) FILTER (WHERE status = 'dead') AS dead
                        FROM jobs WHERE status <> 'done'""")
                .map((rs, ctx) -> new QueueStats(rs.getLong("queued"), rs.getLong("running"), rs.getLong("dead")))
                .one());
    }
}
