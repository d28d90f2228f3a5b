package org.kinora.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.adapters.localfs.LocalBlobStore;
import org.kinora.core.blob.BlobKeys;
import org.kinora.core.common.Clock;
import org.kinora.core.common.Transactions;
import org.kinora.core.account.User;
import org.kinora.core.upload.Upload;
import org.kinora.core.upload.UploadService;
import org.kinora.core.video.VideoStatus;

/**
 * A crash between committing an upload's bytes ({@code commitStaged}) and the completion
 * transaction, on a real PostgreSQL and the local blob store: the transaction rolls back (the
 * process "dies" inside it), the original is in place, and the upload sweep completes the upload
 * once: video processing, one transcode job, one event.
 */
@Timeout(120)
class UploadCompletionRecoveryIT {
    @TempDir
    static Path dir;
    static EmbeddedPostgresServer pg;
    static PostgresDatabase db;

    @BeforeAll
    static void start() throws Exception {
        pg = EmbeddedPostgresServer.start(dir.resolve("pg"), Path.of("target/pg-bin"));
        db = PostgresDatabase.connect(pg.jdbcUrl(), "", "", 4);
    }

    @AfterAll
    static void stop() throws Exception {
        if (db != null) db.close();
        if (pg != null) pg.close();
    }

    @Test
    void theSweepCompletesAnUploadWhoseCompletionTransactionDied() throws Exception {
        AtomicBoolean crashInNextTransaction = new AtomicBoolean();
        Transactions dying = new Transactions() {
            @Override
            public <T> T inTransaction(Supplier<T> work) {
                return db.inTransaction(() -> {
                    T result = work.get();
                    // Everything written, nothing committed: the process dies before COMMIT.
                    if (crashInNextTransaction.getAndSet(false)) throw new IllegalStateException("simulated crash before COMMIT");
                    return result;
                });
            }
        };
        LocalBlobStore blobs = new LocalBlobStore(dir.resolve("blobs"));
        PgUploadRepository uploads = new PgUploadRepository(db);
        PgVideoRepository videos = new PgVideoRepository(db);
        UploadService service = new UploadService(uploads, videos, new PgJobQueue(db), blobs, dying, new PgEventLog(db),
                Clock.system(), new UploadService.Settings(1_000_000, Duration.ofHours(24), 4), () -> {});
        byte[] file = "not really a video, but every byte of it".getBytes(StandardCharsets.UTF_8);

        new PgUserRepository(db).insertIfAbsent(new User("u1", "uma", "uma@example.org", "not-a-hash", Instant.now()));
        Upload upload = service.create("u1", new UploadService.NewUpload(file.length, Map.of("filename", "clip.mp4")));
        crashInNextTransaction.set(true);
        assertThatThrownBy(() -> service.append(upload.id(), "u1", 0, new ByteArrayInputStream(file), Optional.empty()))
                .hasMessageContaining("simulated crash");

        String original = BlobKeys.original(upload.videoId());
        assertThat(blobs.stat(original)).as("the original was committed before the crash").isPresent();
        assertThat(blobs.stagedSize(original)).isZero();
        assertThat(uploads.find(upload.id()).orElseThrow().isComplete()).as("the completion rolled back").isFalse();
        assertThat(videos.find(upload.videoId()).orElseThrow().status()).isEqualTo(VideoStatus.UPLOADING);
        assertThat(count("SELECT count(*) FROM jobs")).isZero();
        assertThat(uploads.findAwaitingCompletion(10)).extracting(Upload::id).containsExactly(upload.id());

        assertThat(service.expireStale()).as("nothing expired").isZero();

        assertThat(uploads.find(upload.id()).orElseThrow().isComplete()).isTrue();
        assertThat(videos.find(upload.videoId()).orElseThrow().status()).isEqualTo(VideoStatus.PROCESSING);
        assertThat(Files.readAllBytes(blobs.localFile(original, dir.resolve("scratch")))).isEqualTo(file);
        assertThat(count("SELECT count(*) FROM jobs WHERE video_id = '" + upload.videoId() + "' AND max_attempts = 4")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM outbox WHERE type = 'video.uploaded'")).isEqualTo(1);
        assertThat(uploads.findAwaitingCompletion(10)).isEmpty();
        service.expireStale();
        assertThat(count("SELECT count(*) FROM jobs")).as("a second sweep does nothing").isEqualTo(1);
    }

    private static int count(String sql) {
        return db.withHandle(h -> h.createQuery(sql).mapTo(Integer.class).one());
    }
}
