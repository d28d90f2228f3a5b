package org.kinora.core.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kinora.core.blob.BlobKeys;
import org.kinora.core.common.ErrorKind;
import org.kinora.core.common.KinoraException;
import org.kinora.core.video.VideoStatus;

/** tus concatenation in the upload service: partial uploads are no videos; a final one assembles them into one. */
@Timeout(60)
class UploadConcatenationTest {
    private final InMemoryStores.Blobs blobs = new InMemoryStores.Blobs();
    private final InMemoryStores.Uploads uploads = new InMemoryStores.Uploads();
    private final InMemoryStores.Videos videos = new InMemoryStores.Videos();
    private final InMemoryStores.Jobs jobs = new InMemoryStores.Jobs();
    private final InMemoryStores.Events events = new InMemoryStores.Events();
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-01T10:00:00Z"));
    private final UploadService service = new UploadService(uploads, videos, jobs, blobs, InMemoryStores.DIRECT, events, now::get,
            new UploadService.Settings(1_000, Duration.ofHours(24), 3, 3), () -> {});

    private Upload piece(String owner, String bytes) throws IOException {
        Upload p = service.createPartial(owner, new UploadService.NewUpload(bytes.length(), Map.of()));
        if (!bytes.isEmpty()) service.append(p.id(), owner, 0, new ByteArrayInputStream(bytes.getBytes()), Optional.empty());
        return p;
    }

    @Test
    void piecesAreNoVideosAndTheFinalUploadAssemblesThemIntoOneVideo() throws IOException {
        Upload a = piece("alice", "hello ");
        Upload empty = piece("alice", "");
        Upload b = piece("alice", "world");
        assertThat(a.videoId()).isNull();
        assertThat(videos.rows).as("a piece is no video").isEmpty();
        assertThat(jobs.queued).isEmpty();
        assertThat(events.appended).isEmpty();

        Upload done = service.createFinal("alice", List.of(a.id(), empty.id(), b.id()), Map.of("title", "Joined"));
        assertThat(done.isComplete()).isTrue();
        assertThat(done.length()).isEqualTo(11);
        assertThat(videos.rows.values()).singleElement().satisfies(v -> {
            assertThat(v.id()).isEqualTo(done.videoId());
            assertThat(v.title()).isEqualTo("Joined");
            assertThat(v.status()).isEqualTo(VideoStatus.PROCESSING);
        });
        assertThat(new String(blobs.data.get(BlobKeys.original(done.videoId())))).isEqualTo("hello world");
        assertThat(jobs.queued).singleElement().satisfies(j -> assertThat(j.videoId()).isEqualTo(done.videoId()));
        assertThat(uploads.rows.keySet()).as("the pieces are gone once assembled").containsExactly(done.id());
        assertThat(blobs.data.keySet()).containsExactly(BlobKeys.original(done.videoId()));
        assertThatThrownBy(() -> service.append(done.id(), "alice", 11, new ByteArrayInputStream(new byte[1]), Optional.empty()))
                .isInstanceOfSatisfying(KinoraException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.FORBIDDEN));
    }

    @Test
    void aFinalUploadTakesOnlyTheRequestersOwnFinishedUnclaimedPieces() throws IOException {
        Upload mine = piece("alice", "abc");
        Upload bobs = piece("bob", "xyz");
        Upload unfinished = service.createPartial("alice", new UploadService.NewUpload(10, Map.of()));
        Upload plain = service.create("alice", new UploadService.NewUpload(5, Map.of()));
        int videosBefore = videos.rows.size();

        assertRefused(List.of(mine.id(), bobs.id()), ErrorKind.BAD_REQUEST, "unknown_partial_upload");
        assertRefused(List.of(mine.id(), "no-such-upload"), ErrorKind.BAD_REQUEST, "unknown_partial_upload");
        assertRefused(List.of(mine.id(), unfinished.id()), ErrorKind.CONFLICT, "partial_upload_unfinished");
        assertRefused(List.of(mine.id(), plain.id()), ErrorKind.BAD_REQUEST, "not_a_partial_upload");
        assertRefused(List.of(mine.id(), mine.id()), ErrorKind.BAD_REQUEST, "invalid_upload_concat");
        assertRefused(List.of(), ErrorKind.BAD_REQUEST, "invalid_upload_concat");
        uploads.claimParts(List.of(mine.id()), "alice", "another-final", now.get());
        assertRefused(List.of(mine.id()), ErrorKind.CONFLICT, "partial_upload_taken");
        assertThat(videos.rows).as("a refused final creates nothing").hasSize(videosBefore);
        assertThat(jobs.queued).isEmpty();
    }

    @Test
    void piecesCountTowardTheUnfinishedCapUntilAFinalTakesThem() throws IOException {
        Upload a = piece("alice", "a");
        Upload b = piece("alice", "b");
        piece("alice", "c");
        assertThatThrownBy(() -> service.createPartial("alice", new UploadService.NewUpload(1, Map.of())))
                .isInstanceOfSatisfying(KinoraException.class, e -> assertThat(e.code()).isEqualTo("too_many_unfinished_uploads"));
        service.createFinal("alice", List.of(a.id(), b.id()), Map.of()); // two places freed, the final is complete
        service.createPartial("alice", new UploadService.NewUpload(1, Map.of()));
    }

    @Test
    void finishedPiecesThatNoFinalTakesExpireWithoutTouchingAnyVideo() throws IOException {
        Upload done = piece("alice", "abc");
        Upload half = service.createPartial("alice", new UploadService.NewUpload(10, Map.of()));
        service.append(half.id(), "alice", 0, new ByteArrayInputStream("12345".getBytes()), Optional.empty());
        now.set(now.get().plus(Duration.ofHours(25)));
        assertThatThrownBy(() -> service.createFinal("alice", List.of(done.id()), Map.of()))
                .isInstanceOfSatisfying(KinoraException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.GONE));
        assertThat(service.expireStale()).isEqualTo(2);
        assertThat(uploads.rows).isEmpty();
        assertThat(blobs.data).isEmpty();
        assertThat(blobs.staged).isEmpty();
        assertThat(videos.rows).isEmpty();
        assertThat(events.appended).isEmpty();
    }

    private void assertRefused(List<String> parts, ErrorKind kind, String code) {
        assertThatThrownBy(() -> service.createFinal("alice", parts, Map.of()))
                .isInstanceOfSatisfying(KinoraException.class, e -> {
                    assertThat(e.kind()).as(e.getMessage()).isEqualTo(kind);
                    assertThat(e.code()).isEqualTo(code);
                });
    }
}
