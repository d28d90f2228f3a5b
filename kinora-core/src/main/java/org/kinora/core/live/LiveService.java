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

    /** Turns SRT on for the channel: a port of its own in [lowest, highest]; conflict when every port is taken. */
    public LiveChannel enableSrt(String ownerId, int lowest, int highest) {
        channel(ownerId);
        lives.assignSrtPort(ownerId, lowest, highest).orElseThrow(() -> KinoraException.conflict("no_srt_port",
                "Every SRT port of this server is in use; ask the administrator for more (live.srt-ports)."));
        return lives.channel(ownerId).orElseThrow();
    }

    public LiveChannel disableSrt(String ownerId) {
        channel(ownerId);
        lives.clearSrtPort(ownerId);
        return lives.channel(ownerId).orElseThrow();
    }

    /** Channels with SRT on (the ingest nodes run a listener for each). */
    public List<LiveChannel> srtChannels() {
        return lives.srtChannels();
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
        LiveSession fresh = new LiveSession(Ids.newVideoId(), channel.ownerId(), title, LiveSession.State.LIVE, ingestUrl, now.plus(lease),
                null, now, null, "", null, null);
        return tx.inTransaction(() -> {
            // Going live up to an hour early (or any time late) starts the scheduled live: its page is where viewers wait.
            LiveSession s = lives.start(fresh, now, now.plus(EARLY_START))
                    .orElseThrow(() -> KinoraException.conflict("already_live", "This channel is live already; end that live first."));
            events.append(new DomainEvent.LiveStarted(s.id(), s.ownerId(), s.title()), now); // subscribers are notified from the outbox
            return s;
        });
    }

    /** How long before its scheduled time a publish still starts an upcoming live. */
    public static final Duration EARLY_START = Duration.ofHours(1);
    public static final int MAX_DESCRIPTION = 5000;
    public static final int MAX_UPCOMING = 20;

    /**
     * Creates a live ahead: an "upcoming" page with its title, description and start time. The
     * channel's publish from an hour before that time on turns it into the live (same page).
     */
    public LiveSession schedule(String ownerId, String title, String description, Instant startsAt) {
        channel(ownerId); // the stream key exists from now on, to be pasted into OBS ahead
        String t = title == null ? "" : title.strip();
        if (t.isEmpty() || t.length() > MAX_TITLE) {
            throw KinoraException.badRequest("invalid_title", "A scheduled live needs a title of 1 to " + MAX_TITLE + " characters.");
        }
        String d = description == null ? "" : description.strip();
        if (d.length() > MAX_DESCRIPTION) {
            throw KinoraException.badRequest("invalid_description", "The description is longer than " + MAX_DESCRIPTION + " characters.");
        }
        Instant now = clock.now();
        if (startsAt == null || startsAt.isBefore(now.minus(Duration.ofMinutes(1))) || startsAt.isAfter(now.plus(Duration.ofDays(366)))) {
            throw KinoraException.badRequest("invalid_starts_at", "starts_at must be an ISO-8601 time from now to a year ahead.");
        }
        if (lives.upcoming(ownerId, MAX_UPCOMING + 1).size() >= MAX_UPCOMING) {
            throw KinoraException.conflict("too_many_upcoming", "A channel has at most " + MAX_UPCOMING + " upcoming lives; cancel one first.");
        }
        LiveSession u = new LiveSession(Ids.newVideoId(), ownerId, t, LiveSession.State.UPCOMING, null, null, null, null, null, d,
                startsAt, null);
        lives.schedule(u);
        return lives.session(u.id()).orElseThrow();
    }

    public List<LiveSession> upcoming(String ownerId) {
        return lives.upcoming(ownerId, MAX_UPCOMING);
    }

    /** The channel's last lives that ended (a permanent live page links their replays). */
    public List<LiveSession> ended(String ownerId, int limit) {
        return lives.ended(ownerId, limit);
    }

    /** Stores an upcoming or running live's thumbnail (a JPEG made by the caller from the uploaded picture). */
    public LiveSession setThumbnail(String ownerId, String liveId, byte[] jpeg) throws IOException {
        LiveSession s = own(ownerId, liveId);
        if (s.state() == LiveSession.State.ENDED) throw KinoraException.conflict("live_ended", "This live has ended; its replay is a video now.");
        String file = "thumb-" + Ids.newId() + ".jpg";
        blobs.put(BlobKeys.liveThumbnail(s.id(), file), jpeg, "image/jpeg");
        lives.setThumbnail(s.id(), file);
        if (s.thumbnailFile() != null) blobs.delete(BlobKeys.liveThumbnail(s.id(), s.thumbnailFile()));
        return lives.session(s.id()).orElseThrow();
    }

    public void cancel(String ownerId, String liveId) throws IOException {
        LiveSession s = own(ownerId, liveId);
        if (!lives.cancel(s.id())) throw KinoraException.conflict("not_upcoming", "Only an upcoming live can be cancelled; this one has started.");
        blobs.deletePrefix(BlobKeys.livePrefix(s.id()));
    }

    private LiveSession own(String ownerId, String liveId) {
        return session(liveId).filter(s -> s.ownerId().equals(ownerId)).orElseThrow(() -> KinoraException.notFound("Live"));
    }

    /** The live whose recording became this video, for its chat. */
    public Optional<LiveSession> byReplay(String videoId) {
        if (!Ids.looksValid(videoId)) return Optional.empty();
        return lives.byReplay(videoId);
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
                String description = session.description() == null || session.description().isBlank()
                        ? "Replay of the live of " + session.startedAt() + "." : session.description();
                videos.insert(new Video(videoId, session.ownerId(), session.title(), description, Privacy.PUBLIC, VideoStatus.PROCESSING, 0, null, null, null, null, now, now, null, null,
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
