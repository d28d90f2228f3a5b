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
                        INSERT INTO jobs (kind, video_id, part, priority, status, max_attempts)
                        VALUES (:kind, :video, :part, :priority, 'queued', :max)
                        ON CONFLICT (kind, video_id, part) WHERE status IN ('queued', 'running') DO NOTHING""")
                .bind("kind", r.kind()).bind("video", r.videoId()).bind("part", r.part()).bind("priority", r.priority())
                .bind("max", r.maxAttempts()).execute());
    }

    /**
     * The most urgent claimable row, skipping rows other workers are claiming this instant.
     * Priority first (a video's first rung goes ahead of other videos' remaining rungs); within
     * a priority, the account that has had the least work lately ({@link JobRecords#OWNER_RECENT_WORK}),
     * so one account's 50 uploads take turns with everyone else's instead of going first; then
     * the oldest.
     */
    private static final String CLAIM_NEXT = """
            UPDATE jobs SET %s
            WHERE id = (
                SELECT id FROM jobs j
                WHERE %s
                ORDER BY priority DESC, %s, run_at, id
                LIMIT 1
                FOR UPDATE SKIP LOCKED)
            RETURNING %s""".formatted(JobRecords.CLAIM, JobRecords.CLAIMABLE, JobRecords.OWNER_RECENT_WORK, JobRecords.JOB_COLUMNS);

    @Override
    public Optional<Job> claim(String workerId, Duration lease) {
        return db.withHandle(h -> h.createQuery(CLAIM_NEXT)
                .bind("worker", workerId).bind("leaseSeconds", JobRecords.seconds(lease))
                .map(JobRecords.JOB)
                .findOne());
    }

    @Override
    public boolean heartbeat(long jobId, String workerId, Duration lease) {
        return db.withHandle(h -> h.createUpdate("""
                        UPDATE jobs SET lease_until = clock_timestamp() + make_interval(secs => :leaseSeconds), updated_at = now()
                        WHERE id = :id AND status = 'running' AND lease_owner = :worker""")
                .bind("id", jobId).bind("worker", workerId).bind("leaseSeconds", JobRecords.seconds(lease))
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
        return JobRecords.fail(db, jobId, workerId, error, retryDelay);
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
