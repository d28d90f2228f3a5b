package org.kinora.core.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kinora.core.blob.BlobKeys;
import org.kinora.core.common.ErrorKind;
import org.kinora.core.common.KinoraException;
import org.kinora.core.common.Transactions;
import org.kinora.core.video.Privacy;
import org.kinora.core.video.VideoStatus;

@Timeout(60)
class UploadServiceTest {
    private final InMemoryStores.Blobs blobs = new InMemoryStores.Blobs();
    private final InMemoryStores.Uploads uploads = new InMemoryStores.Uploads();
    private final InMemoryStores.Videos videos = new InMemoryStores.Videos();
    private final InMemoryStores.Jobs jobs = new InMemoryStores.Jobs();
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-01T10:00:00Z"));
    private final InMemoryStores.Events events = new InMemoryStores.Events();
    private final AtomicInteger wakeUps = new AtomicInteger();
    /** Set: the next transaction dies before it runs, as if the process were killed just then (nothing of it commits). */
    private final AtomicBoolean crashNextTransaction = new AtomicBoolean();
    private final Transactions tx = new Transactions() {
        @Override public <T> T inTransaction(Supplier<T> work) {
            if (crashNextTransaction.getAndSet(false)) throw new IllegalStateException("simulated crash before the transaction");
            return work.get();
        }
    };
    private final UploadService service = new UploadService(uploads, videos, jobs, blobs, tx, events, now::get,
            new UploadService.Settings(1_000, Duration.ofHours(24), 3), wakeUps::incrementAndGet);

    @Test
    void aUserMayHaveOnlySoManyUnfinishedUploads() {
        UploadService capped = new UploadService(uploads, videos, jobs, blobs, InMemoryStores.DIRECT, events, now::get,
                new UploadService.Settings(1_000, Duration.ofHours(24), 3, 2), wakeUps::incrementAndGet);
        var request = new UploadService.NewUpload(10, Map.of());
        Upload first = capped.create("alice", request);
        capped.create("alice", request);
        assertThatThrownBy(() -> capped.create("alice", request)).isInstanceOfSatisfying(KinoraException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
            assertThat(e.code()).isEqualTo("too_many_unfinished_uploads");
        });
        capped.create("bob", request); // per user
        uploads.markCompleted(first.id(), now.get()); // a finished upload frees its place
        capped.create("alice", request);
        now.set(now.get().plus(Duration.ofHours(25))); // and so do expired ones
        capped.create("alice", request);
    }

    private Upload create(long length) {
        return service.create("alice", new UploadService.NewUpload(length, Map.of("filename", "holiday.mp4", "privacy", "unlisted")));
    }

    private static InputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes());
    }

    @Test
    void creationMakesAnUploadingVideoNamedAfterTheFile() {
        Upload u = create(10);
        var video = videos.find(u.videoId()).orElseThrow();
        assertThat(video.status()).isEqualTo(VideoStatus.UPLOADING);
        assertThat(video.title()).isEqualTo("holiday");
        assertThat(video.privacy()).isEqualTo(Privacy.UNLISTED);
        assertThat(u.expiresAt()).isEqualTo(now.get().plus(Duration.ofHours(24)));
    }

    @Test
    void rejectsOversizeEmptyAndBadPrivacyBeforeCreatingAnything() {
        assertThatThrownBy(() -> create(1_001)).isInstanceOfSatisfying(KinoraException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.PAYLOAD_TOO_LARGE));
        assertThatThrownBy(() -> create(0)).isInstanceOfSatisfying(KinoraException.class,
                e -> assertThat(e.code()).isEqualTo("empty_upload"));
        assertThatThrownBy(() -> service.create("alice", new UploadService.NewUpload(5, Map.of("privacy", "secret"))))
                .isInstanceOfSatisfying(KinoraException.class, e -> assertThat(e.code()).isEqualTo("invalid_privacy"));
        assertThat(videos.rows).isEmpty();
        assertThat(uploads.rows).isEmpty();
    }

    @Test
    void chunksAppendAndTheLastOneQueuesTranscoding() throws IOException {
        Upload u = create(10);
        assertThat(service.append(u.id(), "alice", 0, bytes("hello"), Optional.empty()).offset()).isEqualTo(5);
        assertThat(jobs.queued).isEmpty();
        assertThat(events.appended).isEmpty();
        Upload done = service.append(u.id(), "alice", 5, bytes("world"), Optional.empty());
        assertThat(done.offset()).isEqualTo(10);
        assertThat(new String(blobs.data.get(BlobKeys.original(u.videoId())))).isEqualTo("helloworld");
        assertThat(blobs.staged).doesNotContainKey(BlobKeys.original(u.videoId()));
        assertThat(videos.find(u.videoId()).orElseThrow().status()).isEqualTo(VideoStatus.PROCESSING);
        assertThat(jobs.queued).singleElement().satisfies(j -> {
            assertThat(j.videoId()).isEqualTo(u.videoId());
            assertThat(j.maxAttempts()).as("worker.max-attempts, not the built-in default").isEqualTo(3);
        });
        assertThat(wakeUps).hasValue(1);
        assertThat(events.appended).singleElement().satisfies(e -> {
            assertThat(e.event()).isEqualTo(new org.kinora.core.events.DomainEvent.VideoUploaded(u.videoId(), "alice", u.length()));
            assertThat(e.subjectId()).isEqualTo(u.videoId());
            assertThat(e.actorId()).isEqualTo("alice");
        });
    }

    @Test
    void wrongOffsetIsAConflictThatNamesTheServerOffset() throws IOException {
        Upload u = create(10);
        service.append(u.id(), "alice", 0, bytes("hello"), Optional.empty());
        assertThatThrownBy(() -> service.append(u.id(), "alice", 3, bytes("xx"), Optional.empty()))
                .isInstanceOfSatisfying(KinoraException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT);
                    assertThat(e.details()).containsEntry("expected_offset", 5L);
                });
        assertThat(new String(blobs.staged.get(BlobKeys.original(u.videoId())))).isEqualTo("hello");
    }

    @Test
    void checksumMismatchDiscardsTheChunkAndKeepsEarlierBytes() throws Exception {
        Upload u = create(10);
        service.append(u.id(), "alice", 0, bytes("hello"), Optional.empty());
        String wrong = "sha1 " + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest("other".getBytes()));
        assertThatThrownBy(() -> service.append(u.id(), "alice", 5, bytes("world"), Optional.of(Checksum.parse(wrong))))
                .isInstanceOfSatisfying(KinoraException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CHECKSUM_MISMATCH));
        assertThat(uploads.find(u.id()).orElseThrow().offset()).isEqualTo(5);
        assertThat(new String(blobs.staged.get(BlobKeys.original(u.videoId())))).isEqualTo("hello");

        String right = "sha256 " + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest("world".getBytes()));
        assertThat(service.append(u.id(), "alice", 5, bytes("world"), Optional.of(Checksum.parse(right))).offset()).isEqualTo(10);
    }

    @Test
    void aChunkRunningPastTheLengthIsRefusedWhole() throws IOException {
        Upload u = create(4);
        assertThatThrownBy(() -> service.append(u.id(), "alice", 0, bytes("toolong"), Optional.empty()))
                .isInstanceOfSatisfying(KinoraException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PAYLOAD_TOO_LARGE));
        assertThat(uploads.find(u.id()).orElseThrow().offset()).isZero();
        assertThat(blobs.staged.get(BlobKeys.original(u.videoId()))).isEmpty();
    }

    @Test
    void anInterruptedChunkKeepsWhatArrivedSoTheClientResumesThere() {
        Upload u = create(10);
        InputStream dropsAfterThree = new InputStream() {
            int sent;
            @Override public int read() throws IOException {
                if (sent == 3) throw new IOException("connection reset");
                return "abc".charAt(sent++);
            }
        };
        assertThatThrownBy(() -> service.append(u.id(), "alice", 0, dropsAfterThree, Optional.empty())).isInstanceOf(IOException.class);
        assertThat(service.find(u.id(), "alice").offset()).isEqualTo(3);
    }

    @Test
    void bytesStagedButNeverRecordedAreCutAndResent() throws IOException {
        Upload u = create(10);
        service.append(u.id(), "alice", 0, bytes("hello"), Optional.empty());
        // A node died after staging "wor" but before recording the new offset.
        blobs.appendStaged(BlobKeys.original(u.videoId()), bytes("wor"), 3);
        Upload done = service.append(u.id(), "alice", 5, bytes("world"), Optional.empty());
        assertThat(done.offset()).isEqualTo(10);
        assertThat(new String(blobs.data.get(BlobKeys.original(u.videoId())))).isEqualTo("helloworld");
    }

    @Test
    void lostStagingMovesTheOffsetBackSoTheClientResumesThere() throws IOException {
        Upload u = create(10);
        service.append(u.id(), "alice", 0, bytes("hello"), Optional.empty());
        blobs.truncateStaged(BlobKeys.original(u.videoId()), 2);
        assertThatThrownBy(() -> service.append(u.id(), "alice", 5, bytes("world"), Optional.empty()))
                .isInstanceOfSatisfying(KinoraException.class, e -> assertThat(e.details()).containsEntry("expected_offset", 2L));
        assertThat(service.find(u.id(), "alice").offset()).isEqualTo(2);
    }

    @Test
    void aRequestOnAnotherNodeHoldingTheUploadMakesThisOneWait() throws IOException {
        Upload u = create(10);
        uploads.writers.put(u.id(), "a request on another node");
        assertThatThrownBy(() -> service.append(u.id(), "alice", 0, bytes("hello"), Optional.empty()))
                .isInstanceOfSatisfying(KinoraException.class, e -> assertThat(e.code()).isEqualTo("upload_busy"));
        assertThat(blobs.stagedSize(BlobKeys.original(u.videoId()))).isZero();
        uploads.writers.clear();
        assertThat(service.append(u.id(), "alice", 0, bytes("hello"), Optional.empty()).offset()).isEqualTo(5);
        assertThat(uploads.writers).as("the claim is given back").isEmpty();
    }

    @Test
    void aWriterWhoseClaimWasTakenOverStopsAndRecordsNothing() {
        Upload u = create(10);
        InputStream slow = new InputStream() {
            int sent;
            @Override public int read() {
                if (sent == 3) {
                    // The claim ran out while the client stalled; another node took the upload over.
                    now.set(now.get().plus(Duration.ofSeconds(30)));
                    uploads.writers.put(u.id(), "the new writer");
                }
                return sent < 5 ? "hello".charAt(sent++) : -1;
            }
        };
        assertThatThrownBy(() -> service.append(u.id(), "alice", 0, slow, Optional.empty()))
                .isInstanceOfSatisfying(KinoraException.class, e -> assertThat(e.code()).isEqualTo("upload_busy"));
        assertThat(uploads.find(u.id()).orElseThrow().offset()).isZero();
        assertThat(uploads.writers).containsEntry(u.id(), "the new writer");
    }

    @Test
    void otherUsersCannotSeeOrWriteSomeoneElsesUpload() {
        Upload u = create(10);
        assertThatThrownBy(() -> service.append(u.id(), "mallory", 0, bytes("x"), Optional.empty()))
                .isInstanceOfSatisfying(KinoraException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThatThrownBy(() -> service.find("../../etc", "alice"))
                .isInstanceOfSatisfying(KinoraException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
    }

    @Test
    void expiredUploadsAreGoneAndTheirVideosFailWithAReason() throws IOException {
        Upload u = create(10);
        service.append(u.id(), "alice", 0, bytes("hel"), Optional.empty());
        now.set(now.get().plus(Duration.ofHours(25)));
        assertThatThrownBy(() -> service.find(u.id(), "alice"))
                .isInstanceOfSatisfying(KinoraException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.GONE));
        assertThat(service.expireStale()).isEqualTo(1);
        assertThat(uploads.rows).isEmpty();
        assertThat(blobs.staged).doesNotContainKey(BlobKeys.original(u.videoId()));
        var video = videos.find(u.videoId()).orElseThrow();
        assertThat(video.status()).isEqualTo(VideoStatus.FAILED);
        assertThat(video.failureReason()).contains("expired");
    }

    /** Creates an upload and sends all of it; the completion transaction dies (the original is already committed). */
    private Upload uploadAndCrashInCompletion() {
        Upload u = create(10);
        crashNextTransaction.set(true);
        assertThatThrownBy(() -> service.append(u.id(), "alice", 0, bytes("helloworld"), Optional.empty()))
                .hasMessageContaining("simulated crash");
        // What the crash left: every byte recorded, the original in place, nothing staged; not completed, nothing queued.
        Upload left = uploads.find(u.id()).orElseThrow();
        assertThat(left.offset()).isEqualTo(10);
        assertThat(left.isComplete()).isFalse();
        assertThat(new String(blobs.data.get(BlobKeys.original(u.videoId())))).isEqualTo("helloworld");
        assertThat(blobs.stagedSize(BlobKeys.original(u.videoId()))).isZero();
        assertThat(videos.find(u.videoId()).orElseThrow().status()).isEqualTo(VideoStatus.UPLOADING);
        assertThat(jobs.queued).isEmpty();
        assertThat(events.appended).isEmpty();
        return u;
    }

    private void assertCompletedOnce(Upload u) {
        assertThat(uploads.find(u.id()).orElseThrow().isComplete()).isTrue();
        assertThat(new String(blobs.data.get(BlobKeys.original(u.videoId())))).isEqualTo("helloworld");
        assertThat(videos.find(u.videoId()).orElseThrow().status()).isEqualTo(VideoStatus.PROCESSING);
        assertThat(jobs.queued).singleElement().satisfies(j -> assertThat(j.videoId()).isEqualTo(u.videoId()));
        assertThat(events.appended).singleElement().satisfies(e -> assertThat(e.event()).isInstanceOf(org.kinora.core.events.DomainEvent.VideoUploaded.class));
    }

    @Test
    void aCrashBetweenCommittingTheBytesAndTheCompletionTransactionIsFinishedByTheSweep() throws IOException {
        Upload u = uploadAndCrashInCompletion();
        assertThat(service.expireStale()).as("nothing expired").isZero();
        assertCompletedOnce(u);
        assertThat(wakeUps).as("a worker is woken for the job").hasValue(1);
        service.expireStale();
        assertCompletedOnce(u); // a second sweep finds nothing to do
        // Past its expiry it is still a completed upload, not a failed video.
        now.set(now.get().plus(Duration.ofHours(25)));
        assertThat(service.expireStale()).isZero();
        assertThat(videos.find(u.videoId()).orElseThrow().status()).isEqualTo(VideoStatus.PROCESSING);
    }

    @Test
    void aCrashBetweenCommittingTheBytesAndTheCompletionTransactionIsFinishedByTheNextPatch() throws IOException {
        Upload u = uploadAndCrashInCompletion();
        // The client retries its last chunk (it never got an answer): told where the upload is, and it is completed.
        assertThatThrownBy(() -> service.append(u.id(), "alice", 0, bytes("helloworld"), Optional.empty()))
                .isInstanceOfSatisfying(KinoraException.class, e -> assertThat(e.code()).isEqualTo("offset_mismatch"));
        assertCompletedOnce(u);
        assertThatThrownBy(() -> service.append(u.id(), "alice", 10, bytes(""), Optional.empty()))
                .isInstanceOfSatisfying(KinoraException.class, e -> assertThat(e.code()).isEqualTo("upload_complete"));
        assertCompletedOnce(u);
    }

    @Test
    void anEmptyPatchAtTheFinalOffsetFinishesAnInterruptedCompletion() throws IOException {
        Upload u = uploadAndCrashInCompletion();
        assertThat(service.append(u.id(), "alice", 10, bytes(""), Optional.empty()).offset()).isEqualTo(10);
        assertCompletedOnce(u);
    }

    @Test
    void terminationRemovesBytesAndTheWaitingVideo() throws IOException {
        Upload u = create(10);
        service.append(u.id(), "alice", 0, bytes("hel"), Optional.empty());
        service.terminate(u.id(), "alice");
        assertThat(blobs.data).isEmpty();
        assertThat(blobs.staged).isEmpty();
        assertThat(videos.find(u.videoId()).orElseThrow().isDeleted()).isTrue();
    }
}
