package org.kinora.core.upload;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.kinora.core.blob.AppendAbandonedException;
import org.kinora.core.blob.BlobKeys;
import org.kinora.core.blob.BlobStore;
import org.kinora.core.common.Clock;
import org.kinora.core.common.ErrorKind;
import org.kinora.core.common.Ids;
import org.kinora.core.common.KinoraException;
import org.kinora.core.common.Transactions;
import org.kinora.core.events.DomainEvent;
import org.kinora.core.events.EventLog;
import org.kinora.core.jobs.JobQueue;
import org.kinora.core.jobs.JobRequest;
import org.kinora.core.video.Privacy;
import org.kinora.core.video.Tags;
import org.kinora.core.video.Video;
import org.kinora.core.video.VideoRepository;
import org.kinora.core.video.VideoStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tus upload semantics, independent of HTTP: create, append at an offset (with optional
 * per-chunk checksum), terminate, expire. Bytes stream straight into the blob store's staging for
 * the video's original (an S3 multipart upload when scaled out). When the last byte arrives the
 * staging is committed as the original and the
 * video's transcode job is queued in the same transaction as the status change.
 */
public final class UploadService {
    private static final Logger log = LoggerFactory.getLogger(UploadService.class);
    public static final String TRANSCODE_JOB = "transcode";
    /**
     * The rest of the ladder, queued by the transcode job once the first rung is complete. It
     * runs at the default priority, below {@link #TRANSCODE_PRIORITY}: every video's first rung
     * (what makes it playable) goes ahead of the remaining rungs of others.
     */
    public static final String LADDER_JOB = "transcode-ladder";
    /**
     * For a long video, instead of {@link #LADDER_JOB}: one job per chunk (its part number), each
     * encoding the rungs after the first for its span, so several workers share one video. Queued
     * by the transcode job when it starts, at the default priority like the ladder job.
     */
    public static final String CHUNK_JOB = "transcode-chunk";
    /** The first-rung job's priority (on Kafka: the jobs.priority topic). */
    public static final int TRANSCODE_PRIORITY = 10;

    private final UploadRepository uploads;
    private final VideoRepository videos;
    private final JobQueue jobs;
    private final BlobStore blobs;
    private final Transactions tx;
    private final EventLog events;
    private final Clock clock;
    private final Settings settings;
    private final Runnable onJobQueued;
    private final UploadQuota quota;
    private final ReviewHold reviewHold;
    private final Map<String, ReentrantLock> writers = new ConcurrentHashMap<>();

    /**
     * @param jobMaxAttempts how many times the video's transcode job is tried before it is dead
     *                       and the video failed ({@code worker.max-attempts})
     * @param maxUnfinished  uploads one user may have started and not finished (nor let expire)
     */
    public record Settings(long maxSizeBytes, Duration expiry, int jobMaxAttempts, int maxUnfinished) {
        public Settings(long maxSizeBytes, Duration expiry, int jobMaxAttempts) {
            this(maxSizeBytes, expiry, jobMaxAttempts, Integer.MAX_VALUE);
        }

        public Settings {
            if (jobMaxAttempts < 1) throw new IllegalArgumentException("a job needs at least one attempt, not " + jobMaxAttempts);
        }
    }

    /** What the creator says about the video when creating the upload (tus Upload-Metadata). */
    public record NewUpload(long length, Map<String, String> metadata) {}

    public UploadService(UploadRepository uploads, VideoRepository videos, JobQueue jobs, BlobStore blobs,
                         Transactions tx, EventLog events, Clock clock, Settings settings, Runnable onJobQueued) {
        this(uploads, videos, jobs, blobs, tx, events, clock, settings, onJobQueued, UploadQuota.unlimited());
    }

    public UploadService(UploadRepository uploads, VideoRepository videos, JobQueue jobs, BlobStore blobs,
                         Transactions tx, EventLog events, Clock clock, Settings settings, Runnable onJobQueued,
                         UploadQuota quota) {
        this(uploads, videos, jobs, blobs, tx, events, clock, settings, onJobQueued, quota, ReviewHold.NONE);
    }

    public UploadService(UploadRepository uploads, VideoRepository videos, JobQueue jobs, BlobStore blobs,
                         Transactions tx, EventLog events, Clock clock, Settings settings, Runnable onJobQueued,
                         UploadQuota quota, ReviewHold reviewHold) {
        this.quota = quota;
        this.reviewHold = reviewHold;
        this.uploads = uploads;
        this.videos = videos;
        this.jobs = jobs;
        this.blobs = blobs;
        this.events = events;
        this.tx = tx;
        this.clock = clock;
        this.settings = settings;
        this.onJobQueued = onJobQueued;
    }

    public Settings settings() { return settings; }

    public Upload create(String ownerId, NewUpload request) {
        if (request.length() < 0) {
            throw KinoraException.badRequest("invalid_length", "Upload-Length must be a non-negative integer.");
        }
        if (request.length() == 0) {
            throw KinoraException.badRequest("empty_upload", "The file is empty; there is no video to upload.");
        }
        requireAllowedSize(request.length(), "The file");
        Instant now = clock.now();
        Video video = newVideo(ownerId, request.metadata(), now);
        Upload upload = new Upload(Ids.newId(), video.id(), ownerId, request.length(), 0, Map.copyOf(request.metadata()), now,
                now.plus(settings.expiry()), null);
        tx.inTransaction(() -> {
            quota.check(ownerId, request.length()); // also takes the owner's upload lock, which the count below relies on
            requireUnfinishedBelowCap(ownerId, now);
            videos.insert(video);
            uploads.insert(upload);
        });
        log.info("upload {} created for video {} ({} bytes)", upload.id(), video.id(), upload.length());
        return upload;
    }

    /**
     * tus concatenation, {@code Upload-Concat: partial}: one piece of a file that the client sends
     * in parallel with its siblings. It has no video and is never published; it counts toward the
     * owner's quota and unfinished-upload cap until a final upload takes it, and it expires like any
     * unfinished upload if none does.
     */
    public Upload createPartial(String ownerId, NewUpload request) throws IOException {
        if (request.length() < 0) {
            throw KinoraException.badRequest("invalid_length", "Upload-Length must be a non-negative integer.");
        }
        requireAllowedSize(request.length(), "The piece");
        Instant now = clock.now();
        Upload upload = new Upload(Ids.newId(), null, ownerId, request.length(), 0, Map.copyOf(request.metadata()), now,
                now.plus(settings.expiry()), null, Upload.Concat.PARTIAL, List.of(), null);
        tx.inTransaction(() -> {
            quota.check(ownerId, request.length());
            requireUnfinishedBelowCap(ownerId, now);
            uploads.insert(upload);
        });
        if (request.length() == 0) {
            // An empty piece (a tiny file split in many) has nothing to wait for.
            blobs.put(BlobKeys.partialUpload(upload.id()), new byte[0], "application/octet-stream");
            uploads.markCompleted(upload.id(), now);
            return upload.completedAt(now);
        }
        log.info("partial upload {} created ({} bytes)", upload.id(), upload.length());
        return upload;
    }

    /**
     * tus concatenation, {@code Upload-Concat: final;...}: the finished partial uploads
     * {@code partIds} of {@code ownerId}, in order, become one video's original, and the upload
     * completes like a plain one (transcode job queued). The pieces are claimed in the creating
     * transaction, so two final requests naming the same piece cannot both have it.
     */
    public Upload createFinal(String ownerId, List<String> partIds, Map<String, String> metadata) throws IOException {
        if (partIds.isEmpty()) throw KinoraException.badRequest("invalid_upload_concat", "Upload-Concat: final names no partial uploads.");
        if (partIds.size() != partIds.stream().distinct().count()) {
            throw KinoraException.badRequest("invalid_upload_concat", "Upload-Concat: final names the same partial upload twice.");
        }
        Instant now = clock.now();
        long total = 0;
        for (String partId : partIds) total += requireFinishedPart(partId, ownerId, now).length();
        if (total == 0) throw KinoraException.badRequest("empty_upload", "The pieces are all empty; there is no video to upload.");
        requireAllowedSize(total, "The assembled file");
        long length = total;
        Video video = newVideo(ownerId, metadata, now);
        // Every byte is "recorded" from the start (offset = length): a crash before the completion
        // below leaves it for completeInterrupted, which assembles again and completes it.
        Upload upload = new Upload(Ids.newId(), video.id(), ownerId, length, length, Map.copyOf(metadata), now,
                now.plus(settings.expiry()), null, Upload.Concat.FINAL, partIds, null);
        tx.inTransaction(() -> {
            if (!uploads.claimParts(partIds, ownerId, upload.id(), now)) {
                throw KinoraException.conflict("partial_upload_taken",
                        "Another final upload took one of these partial uploads meanwhile; upload the file again.");
            }
            quota.check(ownerId, length); // the claimed pieces no longer count: the final takes their place
            requireUnfinishedBelowCap(ownerId, now);
            videos.insert(video);
            uploads.insert(upload);
        });
        log.info("final upload {} created for video {} from {} partial uploads ({} bytes)", upload.id(), video.id(),
                partIds.size(), length);
        // The sweep's completeInterrupted takes the same claim, so the two never both complete it.
        WriterClaim claim = WriterClaim.take(uploads, clock, upload.id()).orElseThrow(WriterClaim::busy);
        try {
            complete(upload);
        } finally {
            claim.release();
        }
        return upload.completedAt(clock.now());
    }

    /** tus: "The Server MUST respond with the 403 Forbidden status to PATCH requests against a final upload URL". */
    public static KinoraException finalNotWritable() {
        return new KinoraException(ErrorKind.FORBIDDEN, "final_upload_not_writable",
                "A final upload's bytes are those of its partial uploads; PATCH the partial uploads instead.");
    }

    /** A piece named by a final upload: the owner's, partial, finished, unclaimed and not expired, or a precise 4xx. */
    private Upload requireFinishedPart(String partId, String ownerId, Instant now) {
        Upload part = (Ids.looksValid(partId) ? uploads.find(partId) : Optional.<Upload>empty())
                .filter(u -> u.ownerId().equals(ownerId))
                .orElseThrow(() -> KinoraException.badRequest("unknown_partial_upload",
                        "Upload-Concat names upload " + partId + ", which is not one of your uploads."));
        if (!part.isPartial()) {
            throw KinoraException.badRequest("not_a_partial_upload",
                    "Upload " + partId + " was not created with 'Upload-Concat: partial'; only partial uploads can be concatenated.");
        }
        if (part.consumedBy() != null) {
            throw KinoraException.conflict("partial_upload_taken", "Partial upload " + partId + " is already part of another final upload.");
        }
        if (part.isExpired(now)) {
            throw new KinoraException(ErrorKind.GONE, "upload_expired", "Partial upload " + partId + " expired; upload the file again.");
        }
        if (!part.isComplete()) {
            throw new KinoraException(ErrorKind.CONFLICT, "partial_upload_unfinished",
                    "Partial upload " + partId + " has " + part.offset() + " of its " + part.length()
                            + " bytes; finish every piece before the final upload.",
                    Map.of("upload", partId, "offset", part.offset(), "length", part.length()));
        }
        return part;
    }

    private void requireAllowedSize(long length, String what) {
        if (length > settings.maxSizeBytes()) {
            throw new KinoraException(ErrorKind.PAYLOAD_TOO_LARGE, "upload_too_large",
                    what + " is " + length + " bytes; the largest upload allowed is " + settings.maxSizeBytes() + " bytes.",
                    Map.of("max_size", settings.maxSizeBytes()));
        }
    }

    /** Runs inside the creating transaction, after the quota check took the owner's upload lock. */
    private void requireUnfinishedBelowCap(String ownerId, Instant now) {
        int unfinished = uploads.countUnfinished(ownerId, now);
        if (unfinished >= settings.maxUnfinished()) {
            throw new KinoraException(ErrorKind.RATE_LIMITED, "too_many_unfinished_uploads",
                    "You have " + unfinished + " unfinished uploads; finish or cancel one (DELETE its URL) before starting another.",
                    Map.of("max_unfinished", settings.maxUnfinished()));
        }
    }

    private Video newVideo(String ownerId, Map<String, String> meta, Instant now) {
        String privacyText = meta.get("privacy");
        Privacy privacy = privacyText == null || privacyText.isBlank() ? Privacy.PUBLIC
                : Privacy.parse(privacyText).orElseThrow(() -> KinoraException.badRequest("invalid_privacy",
                        "privacy must be public, unlisted or private."));
        String title = firstNonBlank(meta.get("title"), stripExtension(meta.get("filename")), "Untitled video");
        if (title.length() > 200) throw KinoraException.badRequest("invalid_title", "Title is longer than 200 characters.");
        String description = meta.getOrDefault("description", "");
        if (description.length() > 10_000) {
            throw KinoraException.badRequest("invalid_description", "Description is longer than 10000 characters.");
        }

        List<String> tags = Tags.parseCommaSeparated(meta.get("tags"));
        return new Video(Ids.newVideoId(), ownerId, title, description, privacy, VideoStatus.UPLOADING, 0,
                null, null, null, null, now, now, null, null, tags);
    }

    /** Where an upload's bytes go: a partial upload's own blob, otherwise the video's original. */
    private static String blobKey(Upload upload) {
        return upload.isPartial() ? BlobKeys.partialUpload(upload.id()) : BlobKeys.original(upload.videoId());
    }

    /** The upload, for its owner only: other users get the same 404 as for a missing one. */
    public Upload find(String uploadId, String requesterId) {
        if (!Ids.looksValid(uploadId)) throw KinoraException.notFound("Upload");
        Upload upload = uploads.find(uploadId).orElseThrow(() -> KinoraException.notFound("Upload"));
        if (!upload.ownerId().equals(requesterId)) throw KinoraException.notFound("Upload");
        if (upload.isExpired(clock.now())) {
            throw new KinoraException(ErrorKind.GONE, "upload_expired", "This upload expired; start a new one.");
        }
        return upload;
    }

    /**
     * Appends a chunk that the client says starts at {@code clientOffset}. Returns the upload
     * with its new offset. A checksum mismatch or an oversize chunk leaves the stored bytes as
     * they were before the request.
     */
    public Upload append(String uploadId, String requesterId, long clientOffset, InputStream body,
                         Optional<Checksum> checksum) throws IOException {
        ReentrantLock lock = writers.computeIfAbsent(uploadId, k -> new ReentrantLock());
        try {
            // A client retrying after a dropped connection may arrive while the dead request
            // is still being torn down; give it a moment before refusing.
            if (!lock.tryLock(3, TimeUnit.SECONDS)) {
                throw KinoraException.conflict("upload_busy", "Another request is writing to this upload; retry shortly.");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the upload lock", e);
        }
        try {
            Upload upload = find(uploadId, requesterId);
            if (upload.isFinal()) throw finalNotWritable();
            if (upload.isComplete()) {
                throw KinoraException.conflict("upload_complete", "This upload is already complete.");
            }
            WriterClaim claim = WriterClaim.take(uploads, clock, uploadId).orElseThrow(WriterClaim::busy);
            try {
                return appendClaimed(upload, clientOffset, claim.guard(body), checksum, claim);
            } finally {
                claim.release();
            }
        } finally {
            lock.unlock();
            if (!lock.hasQueuedThreads()) writers.remove(uploadId, lock);
        }
    }

    private Upload appendClaimed(Upload upload, long clientOffset, InputStream body, Optional<Checksum> checksum,
                                 WriterClaim claim) throws IOException {
        String uploadId = upload.id();
        String key = blobKey(upload);
        if (upload.offset() == upload.length()) {
            // Every byte recorded but not completed: a crash interrupted complete() (see there).
            // Finish it now rather than reconcile, which would take the committed staging for lost.
            log.warn("upload {}: all {} bytes recorded but not completed; completing it now", uploadId, upload.length());
            complete(upload);
            if (clientOffset != upload.offset()) throw offsetMismatch(clientOffset, upload.offset());
            return upload;
        }
        upload = reconcile(upload, key);
        if (clientOffset != upload.offset()) throw offsetMismatch(clientOffset, upload.offset());
        long remaining = upload.length() - upload.offset();
        MessageDigest digest = checksum.map(Checksum::newDigest).orElse(null);
        InputStream counted = digest == null ? body : new DigestingStream(body, digest);
        long written;
        try {
            written = blobs.appendStaged(key, counted, remaining);
        } catch (AppendAbandonedException takenOver) {
            // Another node writes this upload now: what it finds staged is its business.
            log.warn("upload {}: {}", uploadId, takenOver.getMessage());
            throw WriterClaim.busy();
        } catch (IOException interrupted) {
            if (!claim.renew()) throw WriterClaim.busy();
            // Keep what arrived (tus resumes from it) unless the chunk had to be verified whole.
            long size = blobs.stagedSize(key);
            long kept = digest == null ? Math.min(size, upload.length()) : upload.offset();
            if (kept != size) blobs.truncateStaged(key, kept);
            uploads.updateOffset(uploadId, kept);
            log.info("upload {} interrupted at {} of {} bytes", uploadId, kept, upload.length());
            throw interrupted;
        }
        if (written == remaining && body.read() != -1) {
            blobs.truncateStaged(key, upload.offset());
            throw new KinoraException(ErrorKind.PAYLOAD_TOO_LARGE, "chunk_too_large",
                    "The chunk runs past Upload-Length (" + upload.length() + " bytes); nothing of it was kept.");
        }
        if (digest != null && !checksum.get().matches(digest.digest())) {
            blobs.truncateStaged(key, upload.offset());
            throw new KinoraException(ErrorKind.CHECKSUM_MISMATCH, "checksum_mismatch",
                    "The chunk's " + checksum.get().algorithm() + " checksum does not match; it was discarded, resend it.");
        }
        claim.renewOrFail();
        long newOffset = upload.offset() + written;
        uploads.updateOffset(uploadId, newOffset);
        Upload updated = upload.withOffset(newOffset);
        if (newOffset == upload.length()) complete(updated);
        return updated;
    }

    private static KinoraException offsetMismatch(long clientOffset, long offset) {
        return new KinoraException(ErrorKind.CONFLICT, "offset_mismatch",
                "Upload-Offset " + clientOffset + " does not match the server's offset " + offset
                        + "; send HEAD to learn where to resume.",
                Map.of("expected_offset", offset));
    }

    /**
     * The stored offset is the truth the client was told. A process that died between storing
     * bytes and recording the new offset leaves more staged than recorded: those bytes are cut,
     * and the client resends them. Fewer staged than recorded (staging lost) moves the offset
     * back, so the client's next PATCH is told where to resume instead of leaving a hole.
     */
    private Upload reconcile(Upload upload, String key) throws IOException {
        long staged = blobs.stagedSize(key);
        if (staged == upload.offset()) return upload;
        log.warn("upload {}: {} bytes staged but offset {} recorded; resuming from {}", upload.id(), staged,
                upload.offset(), Math.min(staged, upload.offset()));
        if (staged > upload.offset()) {
            blobs.truncateStaged(key, upload.offset());
            return upload;
        }
        uploads.updateOffset(upload.id(), staged);
        return upload.withOffset(staged);
    }

    /**
     * The last byte is in and its offset recorded: the staged bytes become the original, then one
     * transaction marks the upload completed, moves the video to processing, places a review hold
     * if moderation wants one ({@link ReviewHold}), queues its job and appends the event. A crash between the two steps leaves an upload with every byte recorded
     * and the original in place (nothing staged) that is not completed. {@link BlobStore#commitStaged}
     * does nothing when called again after it succeeded, so running this again finishes the upload:
     * the sweep does ({@link #completeInterrupted}, from {@link #expireStale}), and so does a PATCH
     * that arrives meanwhile. A crash before the commit leaves every byte staged; the same retry
     * commits them.
     */
    private void complete(Upload upload) throws IOException {
        if (upload.isPartial()) {
            blobs.commitStaged(blobKey(upload));
            uploads.markCompleted(upload.id(), clock.now());
            log.info("partial upload {} complete ({} bytes)", upload.id(), upload.length());
            return;
        }
        if (upload.isFinal()) {
            assemble(upload);
        } else {
            blobs.commitStaged(BlobKeys.original(upload.videoId()));
        }
        tx.inTransaction(() -> {
            if (upload.isFinal()) uploads.deleteClaimedBy(upload.id());
            uploads.markCompleted(upload.id(), clock.now());
            videos.updateStatus(upload.videoId(), VideoStatus.PROCESSING, 0, null);
            reviewHold.uploadCompleted(upload.videoId(), upload.ownerId());
            jobs.enqueue(new JobRequest(TRANSCODE_JOB, upload.videoId(), TRANSCODE_PRIORITY, settings.jobMaxAttempts()));
            events.append(new DomainEvent.VideoUploaded(upload.videoId(), upload.ownerId(), upload.length()), clock.now());
        });
        log.info("upload {} complete; video {} queued for transcoding", upload.id(), upload.videoId());
        onJobQueued.run();
    }

    /**
     * The final upload's bytes: its pieces, concatenated by the blob store into the original, then
     * the pieces' blobs deleted. The original appears all at once ({@link BlobStore#concatenate}), so
     * one of the right size means an earlier attempt got that far and the pieces may be gone already.
     */
    private void assemble(Upload upload) throws IOException {
        String target = BlobKeys.original(upload.videoId());
        boolean done = blobs.stat(target).filter(b -> b.size() == upload.length()).isPresent();
        if (!done) {
            long streamed = blobs.concatenate(upload.parts().stream().map(BlobKeys::partialUpload).toList(), target);
            log.info("final upload {}: {} pieces assembled into {} ({} of {} bytes passed through Kinora)", upload.id(),
                    upload.parts().size(), target, streamed, upload.length());
        }
        for (String part : upload.parts()) blobs.delete(BlobKeys.partialUpload(part));
    }

    /** tus termination: the partial bytes and the video that was waiting for them go away. */
    public void terminate(String uploadId, String requesterId) throws IOException {
        Upload upload = find(uploadId, requesterId);
        if (upload.consumedBy() != null) {
            throw KinoraException.conflict("partial_upload_taken", "This partial upload is part of a final upload now.");
        }
        // A PATCH still being torn down (the client aborted it just before) finishes first.
        WriterClaim.await(uploads, clock, uploadId, Duration.ofSeconds(5));
        if (upload.isPartial()) {
            blobs.abortStaged(blobKey(upload));
            blobs.delete(blobKey(upload));
            uploads.delete(uploadId);
            return;
        }
        if (!upload.isComplete()) blobs.abortStaged(BlobKeys.original(upload.videoId()));
        tx.inTransaction(() -> {
            uploads.delete(uploadId);
            if (!upload.isComplete()) videos.markDeleted(upload.videoId(), clock.now());
        });
    }

    /**
     * The periodic upload sweep: first finishes the uploads whose completion a crash interrupted
     * ({@link #completeInterrupted}), then removes unfinished uploads past their expiry; their
     * videos end as failed with a reason. Returns how many expired.
     */
    public int expireStale() throws IOException {
        completeInterrupted();
        int count = 0;
        for (Upload upload : uploads.findExpired(clock.now(), 100)) {
            if (WriterClaim.take(uploads, clock, upload.id()).isEmpty()) continue; // still being written: next round
            if (upload.isPartial()) {
                // A piece nobody assembled: it has no video to fail. A final request that claimed it
                // after the list was read keeps it (claims need an unexpired piece, so this is rare).
                if (uploads.find(upload.id()).map(Upload::consumedBy).isPresent()) continue;
                blobs.abortStaged(blobKey(upload));
                blobs.delete(blobKey(upload));
                uploads.delete(upload.id());
                count++;
                continue;
            }
            blobs.abortStaged(BlobKeys.original(upload.videoId()));
            tx.inTransaction(() -> {
                uploads.delete(upload.id());
                String reason = "The upload expired before all of the file arrived. Upload it again.";
                videos.updateStatus(upload.videoId(), VideoStatus.FAILED, 0, reason);
                events.append(new DomainEvent.VideoFailed(upload.videoId(), null, reason), clock.now());
            });
            count++;
        }
        if (count > 0) log.info("expired {} unfinished upload(s)", count);
        return count;
    }

    /** Completes the uploads that have every byte recorded but whose completion a crash interrupted (see {@link #complete}). */
    public int completeInterrupted() throws IOException {
        int count = 0;
        for (Upload found : uploads.findAwaitingCompletion(100)) {
            // A request completing it right now holds the writer claim; a dead one's claim runs out.
            Optional<WriterClaim> claim = WriterClaim.take(uploads, clock, found.id());
            if (claim.isEmpty()) continue;
            try {
                Optional<Upload> upload = uploads.find(found.id());
                if (upload.isEmpty() || upload.get().isComplete() || upload.get().offset() != upload.get().length()) continue;
                log.warn("upload {}: all {} bytes recorded but not completed (a crash interrupted it); completing it now",
                        found.id(), found.length());
                complete(upload.get());
                count++;
            } finally {
                claim.get().release();
            }
        }
        return count;
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) if (v != null && !v.isBlank()) return v.trim();
        return null;
    }

    private static String stripExtension(String filename) {
        if (filename == null) return null;
        int dot = filename.lastIndexOf('.');
        return dot > 0 ? filename.substring(0, dot) : filename;
    }

    /** Feeds every byte read into a digest. */
    private static final class DigestingStream extends FilterInputStream {
        private final MessageDigest digest;

        DigestingStream(InputStream in, MessageDigest digest) {
            super(in);
            this.digest = digest;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) digest.update((byte) b);
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) digest.update(buf, off, n);
            return n;
        }
    }
}
