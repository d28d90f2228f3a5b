package org.kinora.core.live;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.kinora.core.blob.BlobKeys;
import org.kinora.core.blob.BlobStore;
import org.kinora.core.common.Clock;
import org.kinora.core.common.Ids;
import org.kinora.core.common.KinoraException;
import org.kinora.core.common.Transactions;
import org.kinora.core.events.DomainEvent;
import org.kinora.core.events.EventLog;
import org.kinora.core.jobs.JobQueue;
import org.kinora.core.jobs.JobRequest;
import org.kinora.core.upload.UploadService;
import org.kinora.core.video.Privacy;
import org.kinora.core.video.Video;
import org.kinora.core.video.VideoRepository;
import org.kinora.core.video.VideoStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lives, independent of RTMP and HTTP: stream keys (one per channel; regenerating revokes the
 * old one), admitting a publisher (key known, channel not live elsewhere), and turning the
 * recording into an ordinary video of the channel through the upload pipeline's own job.
 */
public final class LiveService {
    private static final Logger log = LoggerFactory.getLogger(LiveService.class);
    public static final int MAX_TITLE = 200;

    private final LiveRepository lives;
    private final VideoRepository videos;
    private final JobQueue jobs;
    private final BlobStore blobs;
    private final Transactions tx;
    private final EventLog events;
    private final Clock clock;
    private final int jobMaxAttempts;
    private final Runnable onJobQueued;
    private final java.util.function.Predicate<String> mayGoLive;

    public LiveService(LiveRepository lives, VideoRepository videos, JobQueue jobs, BlobStore blobs, Transactions tx, EventLog events,
                       Clock clock, int jobMaxAttempts, Runnable onJobQueued) {
        this(lives, videos, jobs, blobs, tx, events, clock, jobMaxAttempts, onJobQueued, ownerId -> true);
    }

    /** {@code mayGoLive}: whether the owner's standing allows publishing (a frozen, suspended or terminated account does not). */
    public LiveService(LiveRepository lives, VideoRepository videos, JobQueue jobs, BlobStore blobs, Transactions tx, EventLog events,
                       Clock clock, int jobMaxAttempts, Runnable onJobQueued, java.util.function.Predicate<String> mayGoLive) {
        this.mayGoLive = mayGoLive;
        this.lives = lives;
        this.videos = videos;
        this.jobs = jobs;
        this.blobs = blobs;
        this.tx = tx;
        this.events = events;
        this.clock = clock;
        this.jobMaxAttempts = jobMaxAttempts;
        this.onJobQueued = onJobQueued;
    }

    /** The caller's live settings, with a stream key made on first use. */
    public LiveChannel channel(String ownerId) {
        return lives.channel(ownerId).orElseGet(() -> regenerateKey(ownerId));
    }

    /** A new key; the old one stops working for the next publish (the caller also cuts a publisher using it). */
    public LiveChannel regenerateKey(String ownerId) {
        lives.saveKey(ownerId, StreamKeys.generate(), clock.now());
        return lives.channel(ownerId).orElseThrow();
    }

    public LiveChannel updateSettings(String ownerId, String title, Boolean replays) {
        LiveChannel current = channel(ownerId);
        String t = title == null ? current.title() : title.strip();
        if (t.length() > MAX_TITLE) throw KinoraException.badRequest("invalid_title", "The live's title is longer than " + MAX_TITLE + " characters.");
        lives.updateSettings(ownerId, t, replays == null ? current.replays() : replays, clock.now());
        return lives.channel(ownerId).orElseThrow();
    }

    /**
     * The channel this key belongs to, if it is a current key of an account allowed to publish; a
     * refused publisher is told only that the key is wrong, before any media is accepted.
     */
    public Optional<LiveChannel> admit(String streamKey) {
        if (!StreamKeys.wellFormed(streamKey)) return Optional.empty();
        return lives.channelByKey(streamKey).filter(c -> StreamKeys.same(c.streamKey(), streamKey)).filter(c -> mayGoLive.test(c.ownerId()));
    }

    /**
     * Starts a live of the channel held by this node for {@code lease} (renewed while it runs).
     *
     * @throws KinoraException conflict when the channel is live already
     */
    public LiveSession start(LiveChannel channel, String ingestUrl, Duration lease) {
        Instant now = clock.now();
        String title = channel.title().isBlank() ? "Live" : channel.title();
        LiveSession s = new LiveSession(Ids.newVideoId(), channel.ownerId(), title, LiveSession.State.LIVE, ingestUrl, now.plus(lease),
                null, now, null);
        tx.inTransaction(() -> {
            if (!lives.start(s, now)) throw KinoraException.conflict("already_live", "This channel is live already; end that live first.");
            events.append(new DomainEvent.LiveStarted(s.id(), s.ownerId(), title), now); // subscribers are notified from the outbox
        });
        return s;
    }

    public void renew(String sessionId, Duration lease) {
        lives.renew(sessionId, clock.now().plus(lease));
    }

    /**
     * Ends the live. With replays on and a recording, the recording becomes the original of a new
     * video that the ordinary transcode job turns into the full VOD ladder. The blob is committed
     * before the rows (as an upload is): a crash in between leaves an orphan original, never a
     * video without one.
     *
     * @return the replay's video id, or empty
     */
    public Optional<String> end(LiveSession session, Path recording) throws IOException {
        LiveChannel channel = lives.channel(session.ownerId()).orElse(null);
        boolean replay = channel != null && channel.replays() && recording != null && Files.isRegularFile(recording)
                && Files.size(recording) > 13;
        String videoId = replay ? Ids.newVideoId() : null;
        if (replay) {
            String key = BlobKeys.original(videoId);
            long size = Files.size(recording);
            try (InputStream in = Files.newInputStream(recording)) {
                blobs.appendStaged(key, in, size);
            }
            blobs.commitStaged(key);
        }
        Instant now = clock.now();
        tx.inTransaction(() -> {
            lives.end(session.id(), now, videoId);
            if (videoId != null) {
                videos.insert(new Video(videoId, session.ownerId(), session.title(), "Replay of the live of "
                        + session.startedAt() + ".", Privacy.PUBLIC, VideoStatus.PROCESSING, 0, null, null, null, null, now, now, null, null,
                        List.of("live")));
                jobs.enqueue(new JobRequest(UploadService.TRANSCODE_JOB, videoId, JobRequest.DEFAULT_PRIORITY, jobMaxAttempts));
                events.append(new DomainEvent.VideoUploaded(videoId, session.ownerId(), sizeOf(recording)), now);
            }
        });
        if (videoId != null) {
            log.info("live {} ended; its recording is video {}, queued for transcoding", session.id(), videoId);
            onJobQueued.run();
        } else {
            log.info("live {} ended without a replay", session.id());
        }
        return Optional.ofNullable(videoId);
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    public Optional<LiveSession> session(String id) {
        if (!Ids.looksValid(id)) return Optional.empty();
        return lives.session(id);
    }

    public Optional<LiveSession> current(String ownerId) {
        return lives.current(ownerId);
    }

    public List<LiveSession> live(int limit) {
        return lives.live(clock.now(), limit);
    }
}
