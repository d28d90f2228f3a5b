package org.kinora.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The video's manifest lock that the transcoder's and the caption service's manifest rewrites
 * take ({@link PgCaptionRepository#listLockingManifests}): a second writer of the same video waits
 * until the first one's transaction ends; another video's writer does not.
 */
@Timeout(120)
class PgManifestLockIT {
    @TempDir
    static Path dir;
    static EmbeddedPostgresServer pg;
    static PostgresDatabase db;

    @BeforeAll
    static void start() throws Exception {
        pg = EmbeddedPostgresServer.start(dir.resolve("pg"), Path.of("target/pg-bin"));
        db = PostgresDatabase.connect(pg.jdbcUrl(), "", "", 8);
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
        pg.close();
    }

    @Test
    void aSecondRewriteOfTheSameVideoWaitsForTheFirstTransaction() throws Exception {
        var captions = new PgCaptionRepository(db);
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong firstEnded = new AtomicLong();
        Thread first = Thread.ofPlatform().start(() -> db.inTransaction(() -> {
            assertThat(captions.listLockingManifests("vid-a")).isEmpty();
            locked.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            firstEnded.set(System.nanoTime());
        }));
        assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();

        // Another video is not held up.
        long t = System.nanoTime();
        db.inTransaction(() -> captions.listLockingManifests("vid-b"));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t)).isLessThan(2_000);

        // The same video waits until the first transaction is over.
        Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            release.countDown();
        });
        long[] acquired = new long[1];
        db.inTransaction(() -> {
            captions.listLockingManifests("vid-a");
            acquired[0] = System.nanoTime();
        });
        first.join(10_000);
        assertThat(firstEnded.get()).isPositive();
        assertThat(acquired[0]).as("the second took the lock after the first had finished").isGreaterThan(firstEnded.get());
    }
}
