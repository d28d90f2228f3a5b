package org.kinora.server.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.adapters.kafka.JobRelay;
import org.kinora.adapters.kafka.KafkaClient;
import org.kinora.adapters.kafka.KafkaJobQueue;
import org.kinora.adapters.kafka.KafkaSettings;
import org.kinora.adapters.postgres.EmbeddedPostgresServer;
import org.kinora.adapters.postgres.PostgresDatabase;
import org.kinora.core.jobs.Job;
import org.kinora.core.jobs.JobRequest;
import org.kinora.server.engines.EmbeddedKafka;
import org.kinora.server.engines.Loopback;

/**
 * The Kafka job queue against a real broker and a real PostgreSQL: priority first, retry after
 * the backoff, the dead-letter topic, and a consumer that dies holding a job without committing
 * — the group gives its partition to another consumer, which finishes the job.
 */
@Timeout(180)
class KafkaJobQueueIT {
    @TempDir
    static Path dir;
    static EmbeddedKafka kafka;
    static EmbeddedPostgresServer pg;
    static PostgresDatabase db;
    static final AtomicInteger tests = new AtomicInteger();
    static final Duration LEASE = Duration.ofSeconds(3);

    String prefix;
    String group;
    KafkaClient client;
    JobRelay relay;
    final List<KafkaJobQueue> queues = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        kafka = new EmbeddedKafka(dir.resolve("kafka"));
        pg = EmbeddedPostgresServer.start(dir.resolve("pg"), Path.of("target/pg-bin"));
        db = PostgresDatabase.connect(pg.jdbcUrl(), "", "", 8);
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
        pg.close();
        kafka.close();
    }

    @BeforeEach
    void connect() {
        db.useHandle(h -> h.execute("DELETE FROM jobs"));
        int n = tests.incrementAndGet();
        // Each test its own topics and group, so records of one never reach another.
        prefix = "t" + n + ".";
        group = "workers-" + n;
        client = new KafkaClient(settings(kafka.bootstrapServers(), prefix, group));
        relay = new JobRelay(db, client, Duration.ofMillis(200));
        relay.start();
    }

    @AfterEach
    void disconnect() {
        queues.forEach(KafkaJobQueue::close);
        queues.clear();
        relay.close();
        client.close();
    }

    /** The settings of every client in these tests, also those of {@link DoomedConsumer}'s process. */
    static KafkaSettings settings(String bootstrapServers, String topicPrefix, String group) {
        return new KafkaSettings(bootstrapServers, topicPrefix, 3, (short) 1, group, Duration.ofSeconds(2), Duration.ofMinutes(10));
    }

    KafkaJobQueue queue(int prefetch) {
        KafkaJobQueue q = new KafkaJobQueue(db, client, relay, prefetch);
        queues.add(q);
        return q;
    }

    @Test
    void aPriorityJobIsClaimedBeforeOrdinaryOnesAndAPendingVideoIsQueuedOnce() throws Exception {
        KafkaJobQueue q = queue(10);
        q.enqueue(JobRequest.of("transcode", "v1"));
        q.enqueue(JobRequest.of("transcode", "v1")); // already pending: no second job, no second record
        q.enqueue(JobRequest.of("transcode", "v2"));
        q.enqueue(new JobRequest("transcode", "v3", 5, 5));
        assertThat(q.stats().queued()).isEqualTo(3);
        assertThat(q.claim("w1", LEASE)).isEmpty(); // starts the consumer
        await("three records read", () -> q.readAhead() == 3, Duration.ofSeconds(20));

        Job first = q.claim("w1", LEASE).orElseThrow();
        assertThat(first.videoId()).isEqualTo("v3");
        assertThat(first.priority()).isEqualTo(5);
        List<String> rest = List.of(q.claim("w1", LEASE).orElseThrow().videoId(), q.claim("w1", LEASE).orElseThrow().videoId());
        assertThat(rest).containsExactlyInAnyOrder("v1", "v2");
        assertThat(q.claim("w1", LEASE)).isEmpty();
        assertThat(q.stats().running()).isEqualTo(3);
        assertThat(dispatches()).as("one record per job").containsOnly(1);
    }

    @Test
    void aFailedJobRunsAgainAfterItsBackoffAndGoesToTheDeadLetterTopicAfterItsLastAttempt() throws Exception {
        KafkaJobQueue q = queue(1);
        q.enqueue(new JobRequest("transcode", "v1", 0, 2));
        Job attempt1 = awaitClaim(q, "w1", Duration.ofSeconds(20));
        assertThat(attempt1.attempts()).isEqualTo(1);

        Instant failedAt = Instant.now();
        assertThat(q.fail(attempt1.id(), "w1", "encoder crashed", Duration.ofSeconds(2))).isFalse();
        Job attempt2 = awaitClaim(q, "w1", Duration.ofSeconds(20));
        Duration waited = Duration.between(failedAt, Instant.now());
        assertThat(attempt2.id()).isEqualTo(attempt1.id());
        assertThat(attempt2.attempts()).isEqualTo(2);
        assertThat(waited).as("not before its backoff").isGreaterThanOrEqualTo(Duration.ofMillis(1900));

        assertThat(q.fail(attempt2.id(), "w1", "encoder crashed again", Duration.ofSeconds(2))).isTrue();
        assertThat(q.stats().dead()).isEqualTo(1);
        JsonNode dead = readOne(client.settings().deadJobsTopic(), Duration.ofSeconds(20));
        assertThat(dead.get("job_id").asLong()).isEqualTo(attempt1.id());
        assertThat(dead.get("video_id").asText()).isEqualTo("v1");
        assertThat(dead.get("status").asText()).isEqualTo("dead");
        assertThat(dead.get("attempts").asInt()).isEqualTo(2);
        assertThat(dead.get("last_error").asText()).isEqualTo("encoder crashed again");
        Thread.sleep(2500);
        assertThat(q.claim("w1", LEASE)).as("a dead job is not run again").isEmpty();
    }

    @Test
    void aJobWhoseConsumerDiedWithoutCommittingIsRedeliveredToAnotherConsumerOfTheGroup() throws Exception {
        KafkaJobQueue survivor = queue(1);
        assertThat(survivor.claim("w2", LEASE)).isEmpty(); // a member of the group before the doomed one
        Path claimed = dir.resolve("claimed-" + group);
        Path log = dir.resolve("doomed-" + group + ".log");
        Process doomed = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), DoomedConsumer.class.getName(),
                pg.jdbcUrl(), kafka.bootstrapServers(), prefix, group, claimed.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long held;
        try {
            survivor.enqueue(JobRequest.of("transcode", "v1"));
            survivor.enqueue(JobRequest.of("transcode", "v2"));
            survivor.enqueue(JobRequest.of("transcode", "v3"));
            // Whichever consumer holds a partition with a job claims it; the survivor claims none
            // until the doomed one holds one.
            await("the doomed worker claims a job", () -> Files.exists(claimed) || !doomed.isAlive(), Duration.ofSeconds(60));
            assertThat(doomed.isAlive()).as("the doomed worker is running; its log:\n" + Loopback.tail(log, 40)).isTrue();
            held = Long.parseLong(Files.readString(claimed).strip());
        } finally {
            doomed.destroyForcibly(); // SIGKILL: no commit, no goodbye, no more heartbeats
            doomed.waitFor();
        }
        Instant died = Instant.now();

        List<Job> done = new ArrayList<>();
        Instant deadline = Instant.now().plusSeconds(40);
        while (done.stream().noneMatch(j -> j.id() == held) && Instant.now().isBefore(deadline)) {
            Optional<Job> j = survivor.claim("w2", LEASE);
            if (j.isPresent()) {
                done.add(j.get());
                survivor.complete(j.get().id(), "w2");
            } else {
                Thread.sleep(100);
            }
        }
        Job taken = done.stream().filter(j -> j.id() == held).findFirst()
                .orElseThrow(() -> new AssertionError("the dead consumer's job was not redelivered; got " + done));
        Duration after = Duration.between(died, Instant.now());
        System.out.println("redelivered to the survivor " + after.toMillis() + " ms after the consumer died");
        assertThat(taken.attempts()).as("the dead worker's attempt counts").isEqualTo(2);
        // Every job ran to the end exactly once more than it had to: the held one twice (one died), others once.
        await("all jobs done", () -> {
            try {
                survivor.claim("w2", LEASE).ifPresent(j -> survivor.complete(j.id(), "w2"));
            } catch (RuntimeException e) {
                throw e;
            }
            return db.withHandle(h -> h.createQuery("SELECT count(*) FROM jobs WHERE status = 'done'").mapTo(Integer.class).one()) == 3;
        }, Duration.ofSeconds(20));
    }

    @Test
    void aBrokerRestartMidRunLosesNoJobAndRunsNoneTwice() throws Exception {
        KafkaJobQueue q = queue(1);
        q.enqueue(JobRequest.of("transcode", "v1"));
        Job running = awaitClaim(q, "w1", Duration.ofSeconds(20));
        kafka.stop();
        // While the broker is away: the running job ends, another is queued (the relay must wait).
        q.complete(running.id(), "w1");
        q.enqueue(JobRequest.of("transcode", "v2"));
        q.enqueue(JobRequest.of("transcode", "v3"));
        Thread.sleep(1000);
        kafka.start();
        List<String> ran = new ArrayList<>(List.of(running.videoId()));
        await("every job done", () -> {
            q.claim("w1", LEASE).ifPresent(j -> {
                ran.add(j.videoId());
                q.complete(j.id(), "w1");
            });
            return db.withHandle(h -> h.createQuery("SELECT count(*) FROM jobs WHERE status = 'done'").mapTo(Integer.class).one()) == 3;
        }, Duration.ofSeconds(60));
        assertThat(ran).containsExactlyInAnyOrder("v1", "v2", "v3");
        List<Integer> attempts = db.withHandle(h -> h.createQuery("SELECT attempts FROM jobs").mapTo(Integer.class).list());
        assertThat(attempts).containsOnly(1);
    }

    @Test
    void anotherAccountsUploadIsClaimedBeforeOneAccountsBacklog() throws Exception {
        db.useHandle(h -> {
            h.execute("DELETE FROM videos WHERE id LIKE 'fair-%'");
            h.execute("DELETE FROM users WHERE id IN ('fair-a', 'fair-b')");
            for (String u : List.of("fair-a", "fair-b")) {
                h.execute("INSERT INTO users (id, username, email, password_hash, created_at) VALUES (?, ?, ?, 'x', now())", u, u, u + "@example.org");
            }
        });
        List<String> backlog = new ArrayList<>();
        for (int i = 1; i <= 8; i++) backlog.add("fair-a" + i);
        for (String v : backlog) video(v, "fair-a");
        video("fair-b1", "fair-b");
        KafkaJobQueue q = queue(10);
        // Account a uploads eight videos (first-rung jobs, the priority topic), then account b one.
        for (String v : backlog) q.enqueue(new JobRequest("transcode", v, 10, 3));
        await("account a's first jobs published", () -> published("fair-a") == JobRelay.DEFAULT_PUBLISHED_PER_ACCOUNT, Duration.ofSeconds(20));
        Thread.sleep(600); // three relay passes: the rest of a's backlog stays in PostgreSQL
        assertThat(published("fair-a")).as("a's backlog waits in PostgreSQL, not in the topic").isEqualTo(2);
        q.enqueue(new JobRequest("transcode", "fair-b1", 10, 3));
        await("b's job published at once", () -> published("fair-b") == 1, Duration.ofSeconds(20));

        assertThat(q.claim("w1", LEASE)).isEmpty(); // starts the consumer
        await("the three published records read", () -> q.readAhead() == 3, Duration.ofSeconds(30));
        List<String> order = new ArrayList<>();
        Instant deadline = Instant.now().plusSeconds(60);
        while (order.size() < 9 && Instant.now().isBefore(deadline)) {
            Optional<Job> job = q.claim("w1", LEASE);
            if (job.isEmpty()) {
                Thread.sleep(50);
                continue;
            }
            order.add(job.get().videoId());
            q.complete(job.get().id(), "w1");
        }
        assertThat(order).as("every job ran once").containsExactlyInAnyOrderElementsOf(
                java.util.stream.Stream.concat(backlog.stream(), java.util.stream.Stream.of("fair-b1")).toList());
        assertThat(order.indexOf("fair-b1")).as("b's upload is claimed among the first three, not after a's backlog: " + order)
                .isLessThan(3);
        assertThat(order.subList(3, 9)).as("a's held-back jobs come after b's").doesNotContain("fair-b1");
    }

    private static void video(String id, String owner) {
        db.useHandle(h -> h.execute("INSERT INTO videos (id, owner_id, title, privacy, status, created_at, updated_at) "
                + "VALUES (?, ?, ?, 'public', 'processing', now(), now())", id, owner, id));
    }

    /** The account's jobs published to Kafka and not claimed yet. */
    private static int published(String owner) {
        return db.withHandle(h -> h.createQuery("""
                        SELECT count(*) FROM jobs j JOIN videos v ON v.id = j.video_id
                        WHERE v.owner_id = :owner AND j.status = 'queued' AND j.dispatched_at IS NOT NULL""")
                .bind("owner", owner).mapTo(Integer.class).one());
    }

    private static List<Integer> dispatches() {
        return db.withHandle(h -> h.createQuery("SELECT dispatches FROM jobs").mapTo(Integer.class).list());
    }

    private static Job awaitClaim(KafkaJobQueue q, String worker, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            Optional<Job> j = q.claim(worker, LEASE);
            if (j.isPresent()) return j.get();
            Thread.sleep(50);
        }
        throw new AssertionError("no job claimed within " + timeout);
    }

    private static void await(String what, Supplier<Boolean> condition, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.get()) {
            if (Instant.now().isAfter(deadline)) throw new AssertionError("timed out waiting for: " + what);
            Thread.sleep(50);
        }
    }

    private static JsonNode readOne(String topic, Duration timeout) throws Exception {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + topic, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            Instant deadline = Instant.now().plus(timeout);
            while (Instant.now().isBefore(deadline)) {
                for (var r : consumer.poll(Duration.ofMillis(200))) return new ObjectMapper().readTree(r.value());
            }
        }
        throw new AssertionError("nothing on " + topic);
    }
}
