package org.kinora.adapters.postgres;

import java.time.Duration;
import org.jdbi.v3.core.mapper.RowMapper;
import org.kinora.core.jobs.Job;

/**
 * The {@code jobs} table's rules that every job queue shares, written once: which row may be
 * claimed, what a claim writes, how a claimed row reads back as a {@link Job}, and what a failure
 * writes. {@link PgJobQueue} picks the row itself ({@code SKIP LOCKED}); the Kafka queue claims
 * the row a record names; both go through these.
 */
public final class JobRecords {
    private JobRecords() {}

    /** A row that may be claimed: queued and due, or running on a lapsed lease (its worker died). */
    public static final String CLAIMABLE = """
            ((status = 'queued' AND run_at <= clock_timestamp())
             OR (status = 'running' AND lease_until < clock_timestamp()))""";

    /**
     * For a candidate row {@code j}: how many jobs of the same video owner are running or were
     * claimed in the last ten minutes (done ones included, so that with one worker the turns still
     * alternate between accounts). Jobs of videos that no longer exist count as nobody's.
     */
    public static final String OWNER_RECENT_WORK = """
            (SELECT count(*) FROM jobs r JOIN videos rv ON rv.id = r.video_id
             WHERE rv.owner_id = (SELECT owner_id FROM videos WHERE id = j.video_id)
               AND (r.status = 'running' OR (r.status = 'done' AND r.updated_at > now() - interval '10 minutes')))""";

    /** What a claim writes: running, one more attempt, leased to {@code :worker} for {@code :leaseSeconds}. */
    public static final String CLAIM = """
            status = 'running', attempts = attempts + 1, lease_owner = :worker,
            lease_until = clock_timestamp() + make_interval(secs => :leaseSeconds), updated_at = now()""";

    /** The columns {@link #JOB} reads, for the {@code RETURNING} of a claim. */
    public static final String JOB_COLUMNS = "id, kind, video_id, part, priority, attempts, max_attempts";

    public static final RowMapper<Job> JOB = (rs, ctx) -> new Job(rs.getLong("id"), rs.getString("kind"),
            rs.getString("video_id"), rs.getInt("part"), rs.getInt("priority"), rs.getInt("attempts"), rs.getInt("max_attempts"));

    /** A duration as the fractional seconds {@code make_interval(secs => ...)} takes. */
    public static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    /**
     * Records a failed attempt of the job {@code workerId} holds: back to queued after
     * {@code retryDelay}, or dead when it is out of attempts. The row also becomes unpublished
     * ({@code dispatched_at} NULL) so that, with jobs on Kafka, the relay publishes the retry when
     * it is due (or the dead job to the dead-letter topic); the PostgreSQL queue never publishes,
     * its rows stay NULL there anyway.
     *
     * @return true when the job is dead now; false when it will run again, or when the worker no
     *         longer held it (another worker took it over)
     */
    public static boolean fail(PostgresDatabase db, long jobId, String workerId, String error, Duration retryDelay) {
        return db.withHandle(h -> h.createQuery("""
                        UPDATE jobs SET
                            status = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'queued' END,
                            run_at = clock_timestamp() + make_interval(secs => :delaySeconds),
                            lease_owner = NULL, lease_until = NULL, last_error = :error, dispatched_at = NULL, updated_at = now()
                        WHERE id = :id AND lease_owner = :worker
                        RETURNING status""")
                .bind("id", jobId).bind("worker", workerId).bind("error", error)
                .bind("delaySeconds", seconds(retryDelay))
                .mapTo(String.class).findOne().map("dead"::equals).orElse(false));
    }
}
