package org.kinora.adapters.postgres;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.kinora.core.jobs.JobInspector;

/**
 * The {@code jobs} table as operators see it, for both queues. A replay sets the dead row back
 * to queued with no attempts used and due now, and clears {@code dispatched_at}: with jobs on
 * Kafka that makes the relay publish it to the jobs topic again (its dead-letter record stays in
 * {@code jobs.dead} as history); on PostgreSQL a worker claims it at its next poll.
 */
public final class PgJobInspector implements JobInspector {
    private static final String COLUMNS = "id, kind, video_id, status, attempts, max_attempts, last_error, run_at, created_at, updated_at";
    private static final RowMapper<JobRecord> ROW = (rs, ctx) -> new JobRecord(rs.getLong("id"), rs.getString("kind"),
            rs.getString("video_id"), rs.getString("status"), rs.getInt("attempts"), rs.getInt("max_attempts"),
            rs.getString("last_error"), rs.getTimestamp("run_at").toInstant(), rs.getTimestamp("created_at").toInstant(),
            rs.getTimestamp("updated_at").toInstant());

    /** What a replay writes; {@code NOT EXISTS} keeps the one-pending-job-per-video rule (a unique index) from failing it. */
    private static final String REPLAY = """
            UPDATE jobs j SET status = 'queued', attempts = 0, run_at = clock_timestamp(), lease_owner = NULL,
                lease_until = NULL, claimed_dispatch = NULL, dispatched_at = NULL, updated_at = now()
            WHERE j.id IN (%s) AND j.status = 'dead'
              AND NOT EXISTS (SELECT 1 FROM jobs p WHERE p.kind = j.kind AND p.video_id = j.video_id
                              AND p.status IN ('queued', 'running'))
            RETURNING j.*""";

    private final PostgresDatabase db;

    public PgJobInspector(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public List<JobRecord> list(Optional<String> status, Optional<String> kind, Optional<Long> beforeId, int limit) {
        return db.withHandle(h -> h.createQuery("SELECT " + COLUMNS + """
                         FROM jobs
                        WHERE (CAST(:status AS text) IS NULL OR status = :status)
                          AND (CAST(:kind AS text) IS NULL OR kind = :kind)
                          AND (CAST(:before AS bigint) IS NULL OR id < :before)
                        ORDER BY id DESC LIMIT :limit""")
                .bind("status", status.orElse(null)).bind("kind", kind.orElse(null)).bind("before", beforeId.orElse(null))
                .bind("limit", limit).map(ROW).list());
    }

    @Override
    public Optional<JobRecord> find(long id) {
        return db.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM jobs WHERE id = :id").bind("id", id).map(ROW).findOne());
    }

    @Override
    public List<KindCounts> counts() {
        return db.withHandle(h -> h.createQuery("""
                        SELECT kind, count(*) FILTER (WHERE status = 'queued') AS queued,
                               count(*) FILTER (WHERE status = 'running') AS running,
                               count(*) FILTER (WHERE status = 'dead') AS dead,
                               count(*) FILTER (WHERE status = 'done') AS done
                        FROM jobs GROUP BY kind ORDER BY kind""")
                .map((rs, ctx) -> new KindCounts(rs.getString("kind"), rs.getLong("queued"), rs.getLong("running"),
                        rs.getLong("dead"), rs.getLong("done")))
                .list());
    }

    @Override
    public Optional<JobRecord> replay(long id) {
        return db.withHandle(h -> h.createQuery(REPLAY.formatted(":id")).bind("id", id).map(ROW).findOne());
    }

    @Override
    public List<JobRecord> replayDead(String kind) {
        // The newest dead job per video: two dead jobs of one video cannot both be queued again.
        return db.withHandle(h -> h.createQuery(REPLAY.formatted("""
                        SELECT DISTINCT ON (video_id) id FROM jobs WHERE status = 'dead' AND kind = :kind
                        ORDER BY video_id, id DESC"""))
                .bind("kind", kind).map(ROW).list());
    }
}
