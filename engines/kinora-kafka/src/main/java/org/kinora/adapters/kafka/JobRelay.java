package org.kinora.adapters.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.kinora.adapters.postgres.JobRecords;
import org.kinora.adapters.postgres.PostgresDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs' outbox relay: publishes the job rows that need a record (queued and due, or dead) to
 * their topic, keyed by video id, and stamps them dispatched only once the broker acknowledged,
 * in the transaction that locked them (SKIP LOCKED, so every node may run one). A crash between
 * the acknowledgement and the commit publishes the row again; the queue's claim tells duplicates
 * apart. Also re-publishes jobs whose record seems lost (see {@link KafkaSettings#redispatchAfter()}).
 */
public final class JobRelay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JobRelay.class);
    private static final int BATCH = 100;

    private final PostgresDatabase db;
    private final KafkaClient kafka;
    private final Duration interval;
    private final int publishedPerAccount;
    private final Semaphore nudges = new Semaphore(0);
    private final AtomicBoolean running = new AtomicBoolean();
    private Thread thread;

    public JobRelay(PostgresDatabase db, KafkaClient kafka, Duration interval) {
        this(db, kafka, interval, DEFAULT_PUBLISHED_PER_ACCOUNT);
    }

    /**
     * @param publishedPerAccount how many of one account's jobs may wait in each topic, published
     *                            and unclaimed, at a time (see {@link #FAIR_NEW_PUBLICATIONS})
     */
    public JobRelay(PostgresDatabase db, KafkaClient kafka, Duration interval, int publishedPerAccount) {
        if (publishedPerAccount < 1) throw new IllegalArgumentException("publishedPerAccount must be at least 1, not " + publishedPerAccount);
        this.db = db;
        this.kafka = kafka;
        this.interval = interval;
        this.publishedPerAccount = publishedPerAccount;
    }

    public static final int DEFAULT_PUBLISHED_PER_ACCOUNT = 2;

    /**
     * Per-account fairness on Kafka. A topic partition is first in, first out, so whatever order
     * the relay publishes in is the order workers get: if it published an account's 50 uploads as
     * they came, a later upload of anyone else would wait behind all 50. So a new job (queued,
     * never published) is published only while its owner has fewer than
     * {@code :perAccount} jobs of the same class (priority topic or ordinary topic) published and
     * not yet claimed; the rest of a backlog stays in PostgreSQL, and another account's job goes
     * straight to the topic, behind at most {@code :perAccount} records of each busy account. A
     * claim frees a place and nudges the relay (see {@code KafkaJobQueue.claim}), so one account
     * alone still keeps every idle worker busy. Redispatches and dead letters are not held back.
     * Two relays on two nodes may each publish up to the limit at the same instant: the limit
     * is soft by the number of nodes, which fairness survives. Jobs of videos that no longer
     * exist are nobody's and never held back (they end at once).
     */
    static final String FAIR_NEW_PUBLICATIONS = """
            SELECT f.id FROM (
                WITH published AS (
                    SELECT pv.owner_id, p.priority > 0 AS urgent, count(*) AS n
                    FROM jobs p JOIN videos pv ON pv.id = p.video_id
                    WHERE p.status = 'queued' AND p.dispatched_at IS NOT NULL
                    GROUP BY 1, 2)
                SELECT n.id, v.owner_id, coalesce(pub.n, 0) AS published,
                       row_number() OVER (PARTITION BY v.owner_id, n.priority > 0 ORDER BY n.priority DESC, n.run_at, n.id) AS nth
                FROM jobs n
                LEFT JOIN videos v ON v.id = n.video_id
                LEFT JOIN published pub ON pub.owner_id = v.owner_id AND pub.urgent = (n.priority > 0)
                WHERE n.dispatched_at IS NULL AND n.status = 'queued' AND n.run_at <= clock_timestamp()) f
            WHERE f.owner_id IS NULL OR f.nth + f.published <= :perAccount""";

    public void start() {
        if (!running.compareAndSet(false, true)) return;
        thread = Thread.ofPlatform().name("kafka-job-relay").daemon().start(this::loop);
    }

    /** A job was queued or failed in this process: publish now rather than at the next poll. */
    public void nudge() {
        nudges.release();
    }

    private void loop() {
        int failures = 0;
        boolean topicsExist = false;
        while (running.get()) {
            try {
                if (!topicsExist) {
                    KafkaSettings s = kafka.settings();
                    kafka.ensureTopics(List.of(s.jobsTopic(), s.priorityJobsTopic(), s.deadJobsTopic()));
                    topicsExist = true;
                }
                int sent;
                do {
                    sent = relayOnce();
                } while (sent == BATCH && running.get());
                failures = 0;
                nudges.tryAcquire(interval.toMillis(), TimeUnit.MILLISECONDS);
                nudges.drainPermits();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                failures++;
                log.warn("publishing jobs to Kafka failed (attempt {}); will retry: {}", failures, e.toString());
                try {
                    Thread.sleep(Math.min(interval.toMillis() << Math.min(failures, 5), 30_000));
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    private record Row(long id, String kind, String videoId, int part, int priority, int attempts, int maxAttempts,
                       int dispatches, String status, String lastError) {}

    /** Publishes one batch; returns how many rows it stamped. */
    int relayOnce() {
        KafkaSettings s = kafka.settings();
        return db.inTransaction(() -> {
            List<Row> rows = db.withHandle(h -> h.createQuery("""
                            SELECT id, kind, video_id, part, priority, attempts, max_attempts, dispatches, status, last_error
                            FROM jobs j
                            WHERE id IN (
                                SELECT id FROM jobs WHERE dispatched_at IS NULL AND status = 'dead'
                                UNION ALL
                                %s
                                UNION ALL
                                SELECT id FROM jobs WHERE status = 'queued'
                                    AND dispatched_at < clock_timestamp() - make_interval(secs => :stale)
                                UNION ALL
                                SELECT id FROM jobs WHERE status = 'running'
                                    AND lease_until < clock_timestamp() - make_interval(secs => :stale))
                              AND (status = 'dead' OR run_at <= clock_timestamp())
                            ORDER BY priority DESC, %s, run_at, id
                            LIMIT :limit
                            FOR UPDATE SKIP LOCKED""".formatted(FAIR_NEW_PUBLICATIONS, JobRecords.OWNER_RECENT_WORK))
                    .bind("stale", (double) s.redispatchAfter().toSeconds()).bind("limit", BATCH)
                    .bind("perAccount", publishedPerAccount)
                    .map((rs, ctx) -> new Row(rs.getLong("id"), rs.getString("kind"), rs.getString("video_id"), rs.getInt("part"),
                            rs.getInt("priority"), rs.getInt("attempts"), rs.getInt("max_attempts"), rs.getInt("dispatches"),
                            rs.getString("status"), rs.getString("last_error")))
                    .list());
            if (rows.isEmpty()) return 0;
            List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
            for (Row r : rows) {
                String topic = "dead".equals(r.status()) ? s.deadJobsTopic()
                        : r.priority() > 0 ? s.priorityJobsTopic() : s.jobsTopic();
                JobMessage m = new JobMessage(r.id(), r.kind(), r.videoId(), r.part(), r.priority(), r.attempts(), r.maxAttempts(),
                        r.dispatches() + 1, r.status(), r.lastError());
                // Keyed by video, so one video's jobs keep their order on one partition; the parts of a
                // split job (chunks) are keyed apart so that consumers of different partitions take them at once.
                String key = r.part() == 0 ? r.videoId() : r.videoId() + "/" + r.part();
                acks.add(kafka.producer().send(new ProducerRecord<>(topic, partOf(topic, r), key, m.toJson())));
            }
            kafka.producer().flush();
            for (Future<RecordMetadata> ack : acks) {
                try {
                    ack.get(); // delivery.timeout.ms bounds this
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while publishing jobs", e);
                } catch (Exception e) {
                    throw new IllegalStateException("Kafka did not acknowledge a job record: " + e.getMessage(), e);
                }
            }
            db.useHandle(h -> h.createUpdate("""
                            UPDATE jobs SET dispatched_at = clock_timestamp(), dispatches = dispatches + 1
                            WHERE id = ANY(:ids)""")
                    .bindArray("ids", Long.class, rows.stream().map(Row::id).toList()).execute());
            log.debug("published {} job record(s)", rows.size());
            return rows.size();
        });
    }

    /**
     * The partition of a part of a split job: consecutive parts of one video on consecutive
     * partitions (from a place the video's id picks), so a video's N chunks cover min(N,
     * partitions) partitions and every worker that owns one gets some. Hashing each part's key
     * instead put them where it fell: three chunks on three partitions all apart only 6 times in
     * 27, so often one worker took them all. Null for an unsplit job (its key decides).
     */
    private Integer partOf(String topic, Row r) {
        if (r.part() == 0) return null;
        int partitions = kafka.producer().partitionsFor(topic).size(); // the producer's cached metadata
        return Math.floorMod(r.videoId().hashCode() + r.part(), partitions);
    }

    @Override
    public void close() {
        if (!running.compareAndSet(true, false)) return;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
