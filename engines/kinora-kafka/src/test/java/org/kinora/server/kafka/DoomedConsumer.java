package org.kinora.server.kafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import org.kinora.adapters.kafka.JobRelay;
import org.kinora.adapters.kafka.KafkaClient;
import org.kinora.adapters.kafka.KafkaJobQueue;
import org.kinora.adapters.kafka.KafkaSettings;
import org.kinora.adapters.postgres.PostgresDatabase;
import org.kinora.core.jobs.Job;

/**
 * The worker {@link KafkaJobQueueIT} SIGKILLs, in a process of its own: joins the consumer group,
 * claims one job, writes its id to a file and waits to be killed. A real kill, so nothing in
 * {@link KafkaJobQueue} needs to pretend one: no commit, no LeaveGroup, no more heartbeats.
 */
public final class DoomedConsumer {
    private DoomedConsumer() {}

    /** Arguments: JDBC URL, Kafka bootstrap servers, topic prefix, consumer group, the file for the claimed job's id. */
    public static void main(String[] args) throws Exception {
        PostgresDatabase db = PostgresDatabase.connect(args[0], "", "", 2);
        KafkaClient client = new KafkaClient(KafkaJobQueueIT.settings(args[1], args[2], args[3]));
        KafkaJobQueue queue = new KafkaJobQueue(db, client, new JobRelay(db, client, Duration.ofSeconds(1)), 1);
        Path claimed = Path.of(args[4]);
        while (true) {
            Optional<Job> job = queue.claim("doomed", KafkaJobQueueIT.LEASE);
            if (job.isPresent()) {
                Path tmp = claimed.resolveSibling(claimed.getFileName() + ".tmp");
                Files.writeString(tmp, Long.toString(job.get().id()));
                Files.move(tmp, claimed, StandardCopyOption.ATOMIC_MOVE);
                break;
            }
            Thread.sleep(50);
        }
        Thread.sleep(Long.MAX_VALUE); // until the test kills this process
    }
}
