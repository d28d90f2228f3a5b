package org.kinora.core.scan;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Optional;
import org.kinora.core.blob.BlobKeys;
import org.kinora.core.blob.BlobStore;
import org.kinora.core.common.Transactions;
import org.kinora.core.events.DomainEvent;
import org.kinora.core.events.EventLog;
import org.kinora.core.jobs.Job;
import org.kinora.core.jobs.JobContext;
import org.kinora.core.jobs.JobHandler;
import org.kinora.core.video.Video;
import org.kinora.core.video.VideoRepository;
import org.kinora.core.video.VideoStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scans the uploaded original before the wrapped handler (transcoding) reads it. An infected
 * file ends the video {@code failed} with the reason, its original is deleted, and the job ends
 * (it is not retried: the verdict will not change). A scanner that cannot answer throws, so the
 * job is retried with backoff and the file is never transcoded unscanned. A retry after a crash
 * scans again, which is idempotent.
 */
public final class ScanningJobHandler implements JobHandler {
    private static final Logger log = LoggerFactory.getLogger(ScanningJobHandler.class);

    private final JobHandler next;
    private final MalwareScanner scanner;
    private final VideoRepository videos;
    private final BlobStore blobs;
    private final Transactions tx;
    private final EventLog events;

    public ScanningJobHandler(JobHandler next, MalwareScanner scanner, VideoRepository videos, BlobStore blobs, Transactions tx,
                              EventLog events) {
        this.next = next;
        this.scanner = scanner;
        this.videos = videos;
        this.blobs = blobs;
        this.tx = tx;
        this.events = events;
    }

    @Override
    public String kind() { return next.kind(); }

    @Override
    public void run(Job job, JobContext context) throws Exception {
        Optional<Video> video = videos.find(job.videoId()).filter(v -> !v.isDeleted());
        // A video already published was scanned before its first transcode; replays need not scan again.
        if (video.isPresent() && video.get().status() != VideoStatus.READY && blobs.stat(BlobKeys.original(job.videoId())).isPresent()) {
            MalwareScanner.Verdict verdict;
            try (InputStream in = blobs.open(BlobKeys.original(job.videoId()))) {
                verdict = scanner.scan(in);
            }
            if (verdict.infected()) {
                reject(video.get(), verdict.signature());
                return;
            }
        }
        next.run(job, context);
    }

    private void reject(Video video, String signature) throws IOException {
        String reason = "The upload was rejected: the virus scanner found " + signature + " in it, and the file was deleted.";
        log.warn("video {}: upload infected with {}; deleting its original", video.id(), signature);
        blobs.deletePrefix(BlobKeys.originalsPrefix(video.id()));
        tx.inTransaction(() -> {
            videos.updateStatus(video.id(), VideoStatus.FAILED, 0, reason);
            events.append(new DomainEvent.VideoFailed(video.id(), video.ownerId(), reason), Instant.now());
            return null;
        });
    }

    @Override
    public void onDeadLetter(Job job, String lastError) {
        next.onDeadLetter(job, lastError);
    }
}
