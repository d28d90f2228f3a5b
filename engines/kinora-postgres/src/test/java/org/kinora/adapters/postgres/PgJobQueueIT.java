package org.kinora.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.core.jobs.Job;
import org.kinora.core.jobs.JobRequest;

/** The PostgreSQL job queue against a real (embedded) PostgreSQL: leases, retries, dead letters, SKIP LOCKED. */
@Timeout(120)
class PgJobQueueIT {
    @TempDir
    static Path dir;
    static EmbeddedPostgresServer pg;
    static PostgresDatabase db;
    static PgJobQueue queue;

    private static final Duration LEASE = Duration.ofSeconds(30);

    @BeforeAll
    static void start() throws Exception {
        pg = EmbeddedPostgresServer.start(dir.resolve("pg"), Path.of("target/pg-bin"));
        db = PostgresDatabase.connect(pg.jdbcUrl(), "", "", 8);
        queue = new PgJobQueue(db);
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
        pg.close();
    }

    @BeforeEach
    void empty() {
        db.useHandle(h -> h.execute("DELETE FROM jobs"));
    }

    @Test
    void queueingTheSameJobTwiceWhilePendingIsANoOp() {
        queue.enqueue(JobRequest.of("transcode", "v1"));
        queue.enqueue(JobRequest.of("transcode", "v1"));
        assertThat(queue.stats().queued()).isEqualTo(1);
    }

    @Test
    void theChunksOfOneVideoAreSeparateJobsThatRunAtOnceEachQueuedOnce() {
        for (int part : new int[] {1, 2, 3, 2}) queue.enqueue(new JobRequest("transcode-chunk", "v1", part, 0, 3));
        assertThat(queue.stats().queued()).as("part 2 queued twice is one job").isEqualTo(3);
        Job a = queue.claim("w1", LEASE).orElseThrow();
        Job b = queue.claim("w2", LEASE).orElseThrow();
        assertThat(List.of(a.part(), b.part())).containsExactlyInAnyOrder(1, 2);
        assertThat(a.videoId()).isEqualTo(b.videoId());
        queue.complete(a.id(), "w1");
        queue.enqueue(new JobRequest("transcode-chunk", "v1", a.part(), 0, 3));
        assertThat(queue.stats().queued()).as("a finished part may be queued again").isEqualTo(2);
    }

    @Test
    void aLeasedJobIsNotClaimedAgainUntilTheLeaseRunsOut() throws Exception {
        queue.enqueue(JobRequest.of("transcode", "v1"));
        Job first = queue.claim("w1", Duration.ofSeconds(1)).orElseThrow();
        assertThat(first.attempts()).isEqualTo(1);
        assertThat(queue.claim("w2", LEASE)).isEmpty();
        assertThat(queue.heartbeat(first.id(), "w2", LEASE)).isFalse();

        Thread.sleep(1_300); // w1 "died": no heartbeat
        Job reclaimed = queue.claim("w2", LEASE).orElseThrow();
        assertThat(reclaimed.id()).isEqualTo(first.id());
        assertThat(reclaimed.attempts()).isEqualTo(2);
        assertThat(queue.heartbeat(first.id(), "w1", LEASE)).as("the dead worker's lease is gone").isFalse();
        queue.complete(first.id(), "w1"); // a late completion by the old owner changes nothing
        assertThat(queue.stats().running()).isEqualTo(1);
        queue.complete(first.id(), "w2");
        assertThat(queue.stats()).isEqualTo(new org.kinora.core.jobs.JobQueue.QueueStats(0, 0, 0));
    }

    @Test
    void failuresRetryAfterTheDelayAndDeadLetterAfterTheLastAttempt() {
        queue.enqueue(new JobRequest("transcode", "v1", 0, 2));
        Job attempt1 = queue.claim("w1", LEASE).orElseThrow();
        assertThat(queue.fail(attempt1.id(), "w1", "boom", Duration.ofHours(1))).isFalse();
        assertThat(queue.claim("w1", LEASE)).as("not due before its backoff").isEmpty();

        db.useHandle(h -> h.execute("UPDATE jobs SET run_at = now() - interval '1 second'"));
        Job attempt2 = queue.claim("w1", LEASE).orElseThrow();
        assertThat(attempt2.attempts()).isEqualTo(2);
        assertThat(attempt2.isLastAttempt()).isTrue();
        assertThat(queue.fail(attempt2.id(), "w1", "boom again", Duration.ZERO)).isTrue();
        assertThat(queue.stats().dead()).isEqualTo(1);
        assertThat(queue.claim("w1", LEASE)).isEmpty();
        String lastError = db.withHandle(h -> h.createQuery("SELECT last_error FROM jobs").mapTo(String.class).one());
        assertThat(lastError).isEqualTo("boom again");
    }

    @Test
    void higherPriorityRunsFirst() {
        queue.enqueue(new JobRequest("transcode", "low", 0, 3));
        queue.enqueue(new JobRequest("transcode", "high", 10, 3));
        assertThat(queue.claim("w", LEASE).map(Job::videoId)).contains("high");
        assertThat(queue.claim("w", LEASE).map(Job::videoId)).contains("low");
    }

    @Test
    void oneAccountsManyUploadsTakeTurnsWithAnotherAccounts() {
        db.useHandle(h -> {
            h.execute("DELETE FROM videos");
            h.execute("DELETE FROM users WHERE id IN ('fair-a', 'fair-b')");
            for (String u : List.of("fair-a", "fair-b")) {
                h.execute("INSERT INTO users (id, username, email, password_hash, created_at) VALUES (?, ?, ?, 'x', now())", u, u, u + "@example.org");
            }
            for (String v : List.of("a1", "a2", "a3", "b1")) {
                h.execute("INSERT INTO videos (id, owner_id, title, privacy, status, created_at, updated_at) VALUES (?, ?, ?, 'public', 'processing', now(), now())",
                        v, "fair-" + v.charAt(0), v);
            }
        });
        // Account a queued three uploads before account b queued one; one worker, jobs finished one by one.
        for (String v : List.of("a1", "a2", "a3", "b1")) queue.enqueue(JobRequest.of("transcode", v));
        List<String> order = new java.util.ArrayList<>();
        Optional<Job> job;
        while ((job = queue.claim("w", LEASE)).isPresent()) {
            order.add(job.get().videoId());
            queue.complete(job.get().id(), "w");
        }
        assertThat(order).containsExactly("a1", "b1", "a2", "a3");
        // Priority still comes first: a high-priority job of the busy account goes ahead of the other's ordinary one.
        queue.enqueue(JobRequest.of("transcode-ladder", "b1"));
        queue.enqueue(new JobRequest("transcode-ladder", "a1", 10, 3));
        assertThat(queue.claim("w", LEASE).map(Job::videoId)).contains("a1");
    }

    @Test
    void concurrentWorkersNeverClaimTheSameJob() throws Exception {
        for (int i = 0; i < 40; i++) queue.enqueue(JobRequest.of("transcode", "v" + i));
        ConcurrentLinkedQueue<Long> claimed = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        for (int w = 0; w < 6; w++) {
            String worker = "w" + w;
            pool.submit(() -> {
                Optional<Job> job;
                while ((job = queue.claim(worker, LEASE)).isPresent()) claimed.add(job.get().id());
                return null;
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(claimed).hasSize(40).doesNotHaveDuplicates();
        assertThat(List.copyOf(claimed)).allMatch(id -> id > 0);
    }
}
