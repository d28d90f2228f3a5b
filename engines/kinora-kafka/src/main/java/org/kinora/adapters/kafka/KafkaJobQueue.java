package org.kinora.adapters.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.kinora.adapters.postgres.JobRecords;
import org.kinora.adapters.postgres.PgJobQueue;
import org.kinora.adapters.postgres.PostgresDatabase;
import org.kinora.core.jobs.Job;
import org.kinora.core.jobs.JobQueue;
import org.kinora.core.jobs.JobRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job queue with Kafka as the dispatch and PostgreSQL as the record.
 *
 * <p>{@link #enqueue} writes the job row in the caller's transaction (so "queued" commits with the
 * video's status change and the outbox event, and a job already pending for that video is not
 * queued twice); the {@link JobRelay} publishes it after commit to {@code jobs} or
 * {@code jobs.priority}, keyed by video id. Workers form one consumer group: Kafka spreads the
 * partitions over them and, when one dies, gives its partitions — with every record it had not
 * committed — to the others. A record's offset is committed only once its job completed or its
 * failure was recorded, so a job whose worker vanished is read again by another worker.
 *
 * <p>Claiming a record claims its row with a conditional UPDATE (queued and due, or running on
 * a lapsed lease), so a record read twice runs its job once; leases and heartbeats are the same
 * as {@link PgJobQueue}'s, which lets the {@code Worker} stay unchanged and interrupts a worker
 * whose job was taken over. A retry sets the row back to queued with {@code run_at} after the
 * backoff and the relay publishes it again when due; a job out of attempts goes to
 * {@code jobs.dead}. The handler is idempotent (renditions already stored are kept).
 */
public final class KafkaJobQueue implements JobQueue, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KafkaJobQueue.class);

    private final PostgresDatabase db;
    private final PgJobQueue rows;
    private final KafkaClient kafka;
    private final JobRelay relay;
    private final int prefetch;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong arrivals = new AtomicLong();
    private volatile Runnable onArrival = () -> {};
    private volatile Thread poller;
    private volatile KafkaConsumer<String, byte[]> consumer;

    /** Records read and not yet started (or waiting for a lapsed lease), most urgent first. */
    private final List<Pending> waiting = new ArrayList<>();
    /** The record each running job was claimed from, by job id. */
    private final Map<Long, Pending> runningJobs = new ConcurrentHashMap<>();
    /** Per assigned partition, the records read and not yet committed; the poller's alone. */
    private final Map<TopicPartition, TreeMap<Long, Pending>> uncommitted = new HashMap<>();

    private static final Comparator<Pending> URGENCY = Comparator.comparingInt((Pending p) -> -p.message.priority())
            .thenComparingLong(p -> p.arrival);

    /** One record read from Kafka and what became of it. */
    private static final class Pending {
        final TopicPartition partition;
        final long offset;
        final JobMessage message;
        final long arrival;
        volatile long notBefore;
        volatile boolean finished;

        Pending(TopicPartition partition, long offset, JobMessage message, long arrival) {
            this.partition = partition;
            this.offset = offset;
            this.message = message;
            this.arrival = arrival;
        }
    }

    /**
     * @param prefetch how many records a worker reads ahead of the jobs it runs; keep it near the
     *                 worker's concurrency so that records wait in Kafka, where another worker can
     *                 take them after a rebalance, rather than here
     */
    public KafkaJobQueue(PostgresDatabase db, KafkaClient kafka, JobRelay relay, int prefetch) {
        this.db = db;
        this.rows = new PgJobQueue(db);
        this.kafka = kafka;
        this.relay = relay;
        this.prefetch = Math.max(1, prefetch);
    }

    /** Called whenever records arrive (the worker wakes up instead of waiting for its next poll). */
    public void onArrival(Runnable action) {
        this.onArrival = action;
    }

    /** How many records this worker has read and not started (for metrics and tests). */
    public int readAhead() {
        synchronized (waiting) {
            return waiting.size();
        }
    }

    @Override
    public void enqueue(JobRequest request) {
        rows.enqueue(request);
        db.afterCommit(relay::nudge);
    }

    @Override
    public Optional<Job> claim(String workerId, Duration lease) {
        startConsuming();
        while (true) {
            Pending next = takeNext();
            if (next == null) return Optional.empty();
            Claim result = claimRow(next, workerId, lease);
            switch (result.outcome) {
                case CLAIMED -> {
                    runningJobs.put(result.job.id(), next);
                    // A claimed record frees a place of its owner's in the topic: let the relay fill it now.
                    relay.nudge();
                    return Optional.of(result.job);
                }
                case WAIT -> {
                    next.notBefore = result.retryAt;
                    synchronized (waiting) {
                        waiting.add(next);
                    }
                }
                case STALE -> next.finished = true;
            }
        }
    }

    private Pending takeNext() {
        long now = System.currentTimeMillis();
        synchronized (waiting) {
            Pending best = null;
            for (Pending p : waiting) {
                if (p.notBefore <= now && (best == null || URGENCY.compare(p, best) < 0)) best = p;
            }
            if (best != null) waiting.remove(best);
            return best;
        }
    }

    private enum Outcome { CLAIMED, WAIT, STALE }

    private record Claim(Outcome outcome, Job job, long retryAt) {}

    private record RowState(String status, boolean due, boolean leaseLapsed, Integer claimedDispatch, long leaseUntilMs) {}

    /**
     * The row decides: queued and due → ours; running on a lapsed lease → ours (its worker died);
     * running on a live lease and claimed from this very record → its worker lost the partition
     * (died, or a rebalance moved it): wait for the lease to lapse or the job to end; anything
     * else (done, dead, not due, claimed from another record) → this record is stale.
     */
    /** The row a record names, if claimable, remembering which publication it was claimed from. */
    private static final String CLAIM_RECORDED = """
            UPDATE jobs SET %s, claimed_dispatch = :dispatch
            WHERE id = :id AND %s
            RETURNING %s""".formatted(JobRecords.CLAIM, JobRecords.CLAIMABLE, JobRecords.JOB_COLUMNS);

    private Claim claimRow(Pending p, String workerId, Duration lease) {
        long id = p.message.jobId();
        Optional<Job> claimed = db.withHandle(h -> h.createQuery(CLAIM_RECORDED)
                .bind("id", id).bind("worker", workerId).bind("dispatch", p.message.dispatch())
                .bind("leaseSeconds", JobRecords.seconds(lease))
                .map(JobRecords.JOB)
                .findOne());
        if (claimed.isPresent()) return new Claim(Outcome.CLAIMED, claimed.get(), 0);
        Optional<RowState> state = db.withHandle(h -> h.createQuery("""
                        SELECT status, run_at <= clock_timestamp() AS due, lease_until < clock_timestamp() AS lapsed,
                               claimed_dispatch, (extract(epoch FROM lease_until) * 1000)::bigint AS lease_until_ms
                        FROM jobs WHERE id = :id""")
                .bind("id", id)
                .map((rs, ctx) -> new RowState(rs.getString("status"), rs.getBoolean("due"), rs.getBoolean("lapsed"),
                        (Integer) rs.getObject("claimed_dispatch"), rs.getLong("lease_until_ms")))
                .findOne());
        if (state.isPresent() && "running".equals(state.get().status())
                && Integer.valueOf(p.message.dispatch()).equals(state.get().claimedDispatch())) {
            // Look again when the lease lapses, or sooner: the job may end (often here, when a
            // rebalance handed this worker back a record of its own running job).
            long at = Math.min(state.get().leaseUntilMs() + 100, System.currentTimeMillis() + 2_000);
            return new Claim(Outcome.WAIT, null, Math.max(at, System.currentTimeMillis() + 100));
        }
        return new Claim(Outcome.STALE, null, 0);
    }

    @Override
    public boolean heartbeat(long jobId, String workerId, Duration lease) {
        boolean held = rows.heartbeat(jobId, workerId, lease);
        if (!held) finish(jobId); // another worker took it over; its fate is theirs now
        return held;
    }

    @Override
    public void complete(long jobId, String workerId) {
        rows.complete(jobId, workerId);
        finish(jobId);
    }

    @Override
    public boolean fail(long jobId, String workerId, String error, Duration retryDelay) {
        // Back to queued (or dead) and unpublished: the relay publishes it again when due, or to the dead-letter topic.
        boolean dead = JobRecords.fail(db, jobId, workerId, error, retryDelay);
        finish(jobId);
        relay.nudge();
        return dead;
    }

    private void finish(long jobId) {
        Pending p = runningJobs.remove(jobId);
        if (p != null) p.finished = true;
    }

    @Override
    public QueueStats stats() {
        return rows.stats();
    }

    // ---- the poller: the only thread that touches the consumer ----

    /** Joins the group on the first claim (an API node never does), and again if the consumer stopped on an error. */
    private void startConsuming() {
        Thread current = poller;
        if (current != null && current.isAlive()) return;
        synchronized (this) {
            if (!running.get() || (poller != null && poller.isAlive())) return;
            if (poller != null) log.warn("restarting the Kafka job consumer");
            consumer = kafka.newConsumer(kafka.settings().consumerGroup(), 50);
            poller = Thread.ofPlatform().name("kafka-jobs-consumer").daemon().start(this::poll);
        }
    }

    private void poll() {
        KafkaSettings s = kafka.settings();
        consumer.subscribe(List.of(s.priorityJobsTopic(), s.jobsTopic()), new Rebalance());
        try {
            while (running.get()) {
                pauseWhenFull(s);
                boolean arrived = false;
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    TreeMap<Long, Pending> track = uncommitted.computeIfAbsent(tp, k -> new TreeMap<>());
                    JobMessage m;
                    try {
                        m = JobMessage.parse(r.value());
                    } catch (Exception e) {
                        log.error("skipping unreadable job record {}@{}: {}", tp, r.offset(), e.toString());
                        Pending junk = new Pending(tp, r.offset(), null, 0);
                        junk.finished = true;
                        track.put(r.offset(), junk);
                        continue;
                    }
                    Pending p = new Pending(tp, r.offset(), m, arrivals.incrementAndGet());
                    track.put(r.offset(), p);
                    synchronized (waiting) {
                        waiting.add(p);
                    }
                    arrived = true;
                }
                if (arrived) onArrival.run();
                commitFinished(false);
            }
        } catch (WakeupException stopping) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            log.error("the Kafka job consumer stopped (the next claim starts a new one): {}", e.toString(), e);
            uncommitted.clear();
            synchronized (waiting) {
                waiting.clear(); // their records go back to the group with the partitions
            }
        } finally {
            try {
                commitFinished(true);
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                log.warn("closing the Kafka job consumer: {}", e.toString());
            }
        }
    }

    /** Stops reading ordinary jobs while enough are waiting here; priority jobs always come in. */
    private void pauseWhenFull(KafkaSettings s) {
        long unstarted;
        synchronized (waiting) {
            unstarted = waiting.stream().filter(p -> p.notBefore == 0).count();
        }
        Set<TopicPartition> ordinary = new java.util.HashSet<>();
        for (TopicPartition tp : consumer.assignment()) if (tp.topic().equals(s.jobsTopic())) ordinary.add(tp);
        if (unstarted >= prefetch) {
            consumer.pause(ordinary);
        } else {
            consumer.resume(ordinary);
        }
    }

    /** Commits, per partition, past every record that is finished with no unfinished one before it. */
    private void commitFinished(boolean sync) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (var e : uncommitted.entrySet()) {
            TreeMap<Long, Pending> track = e.getValue();
            Long next = null;
            while (!track.isEmpty() && track.firstEntry().getValue().finished) {
                next = track.pollFirstEntry().getKey() + 1;
            }
            if (next != null) offsets.put(e.getKey(), new OffsetAndMetadata(next));
        }
        if (offsets.isEmpty()) return;
        try {
            if (sync) consumer.commitSync(offsets, Duration.ofSeconds(5));
            else consumer.commitAsync(offsets, (done, error) -> {
                if (error != null) log.warn("committing job offsets failed (they will be read again): {}", error.toString());
            });
        } catch (RuntimeException e) {
            log.warn("committing job offsets failed (they will be read again): {}", e.toString());
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commitFinished(true);
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            log.info("worker now reads job partitions {}", partitions);
        }

        /**
         * Records of partitions that moved away are another worker's now: drop the ones not
         * started. Jobs already running here go on (their lease holds) and the new owner waits.
         */
        private void forget(Collection<TopicPartition> partitions) {
            for (TopicPartition tp : partitions) uncommitted.remove(tp);
            synchronized (waiting) {
                waiting.removeIf(p -> partitions.contains(p.partition));
            }
        }
    }

    @Override
    public synchronized void close() {
        if (!running.compareAndSet(true, false)) return;
        if (consumer != null) consumer.wakeup();
        if (poller != null) {
            try {
                poller.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
