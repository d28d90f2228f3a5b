package org.kinora.media.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.kinora.core.blob.BlobKeys;
import org.kinora.core.blob.BlobStore;
import org.kinora.core.caption.CaptionRepository;
import org.kinora.core.common.Transactions;
import org.kinora.core.events.DomainEvent;
import org.kinora.core.events.EventLog;
import org.kinora.core.jobs.Job;
import org.kinora.core.jobs.JobContext;
import org.kinora.core.jobs.JobHandler;
import org.kinora.core.jobs.JobQueue;
import org.kinora.core.jobs.JobRequest;
import org.kinora.core.upload.UploadService;
import org.kinora.core.video.Rendition;
import org.kinora.core.video.Video;
import org.kinora.core.video.VideoRepository;
import org.kinora.core.video.VideoStatus;
import org.kinora.media.ffmpeg.Ffmpeg;
import org.kinora.media.ffmpeg.FfmpegTimeoutException;
import org.kinora.media.ffmpeg.MediaInfo;
import org.kinora.media.ffmpeg.MediaLimits;
import org.kinora.media.ffmpeg.MediaProbe;
import org.kinora.media.ffmpeg.UnplayableMediaException;
import org.kinora.media.ladder.Av1Ladder;
import org.kinora.media.ladder.LadderPlanner;
import org.kinora.media.ladder.Rung;
import org.kinora.media.packaging.AudioLanguage;
import org.kinora.media.packaging.AudioRendition;
import org.kinora.media.packaging.CmafEncoder;
import org.kinora.media.packaging.CmafOutput;
import org.kinora.media.packaging.DashManifest;
import org.kinora.media.packaging.Fmp4Boxes;
import org.kinora.media.packaging.GrowingPlaylist;
import org.kinora.media.packaging.HlsMasterPlaylist;
import org.kinora.media.packaging.IFramePlaylist;
import org.kinora.media.packaging.MediaPlaylist;
import org.kinora.media.packaging.Thumbnails;
import org.kinora.media.packaging.VideoRendition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an uploaded original into a published adaptive ladder, playable within seconds whatever
 * its length, in two jobs:
 *
 * <ol>
 *   <li>{@code transcode} (high priority): the lowest rung, the audio and the poster, in one
 *       decode, as growing EVENT playlists ({@link GrowingPlaylist}) whose segments are stored
 *       while ffmpeg writes them. The video turns {@code ready} once the first
 *       {@value #PLAYABLE_SEGMENTS} segments of each track are stored, so time to playable does
 *       not depend on the length; the encoder runs several times faster than real time at that
 *       rung, so a viewer who starts at once stays behind it. The master lists the other rungs
 *       already (planned bandwidth), so players reach them without reloading it.</li>
 *   <li>{@code transcode-ladder} (default priority), queued when the first rung is complete: the
 *       other rungs and the storyboard in one decode; they join the master and the MPD, with
 *       measured bandwidths, when stored.</li>
 * </ol>
 *
 * <p>Idempotent: renditions already complete are not encoded again, so a retry after a crash
 * continues where the last attempt stopped. A first rung recorded while growing is complete only
 * once its stored playlist has ENDLIST; a retry before that encodes it again over the same names
 * (same settings, same segment boundaries, so a viewer meanwhile gets interchangeable segments).
 *
 * <p>Failures the file causes are permanent and end the video {@code failed} at once with their
 * reason: a file that is not an allowed video, is outside the {@link MediaLimits}, or makes the
 * transcode outlive its time budget (proportional to the video's duration). Anything else is
 * thrown, so the job is retried.
 */
public final class TranscodeJobHandler implements JobHandler {
    private static final Logger log = LoggerFactory.getLogger(TranscodeJobHandler.class);
    private static final int FIRST_RUNG_DONE = 35;
    private static final int LADDER_DONE = 95;
    /**
     * Segments (of {@value CmafEncoder#SEGMENT_SECONDS} s) of every track stored before the video
     * turns ready. Two, however fast the pass runs: a player reloads a growing playlist about once
     * per target duration (hls.js: 4 s here), so a viewer who starts on one segment plays it out
     * before the reload that would list the next one, and stalls (FirstViewerIT caught this when
     * one fast segment was allowed: buffered 0-4 s, the second segment listed at 4.0 s).
     */
    static final int PLAYABLE_SEGMENTS = 2;
    /**
     * The same for a copied source, whose pass runs tens of times faster than real time, so that
     * four segments cost a fraction of a second more than two: the viewer starts with 16 s listed
     * instead of 8, which covers the players' late reloads (hls.js reloads about every 4 s, and a
     * reload within the 2 s the origin lets a growing playlist be cached may return the same
     * list; SourceCopyIT saw one stall with two).
     */
    static final int COPY_PLAYABLE_SEGMENTS = 4;
    /** How often the growing pass's new segments are looked for; a segment waits at most this long to be published. */
    private static final Duration POLL = Duration.ofMillis(100);

    private final VideoRepository videos;
    private final BlobStore blobs;
    private final MediaProbe probe;
    private final Ffmpeg ffmpeg;
    private final String x264Preset;
    private final MediaLimits limits;
    private final LadderPlanner planner = new LadderPlanner();
    private final Path workRoot;
    private final Consumer<Duration> timeToPlayable;
    private final Transactions tx;
    private final EventLog events;
    private final String defaultAudioLanguage;
    private final JobQueue jobs;
    private final Av1Ladder av1;
    private final ManifestWriter manifests;
    private final ChunkSettings chunking;
    private final SourceCopy.Retirements copies;

    /** @param defaultAudioLanguage BCP 47 tag the manifests give audio whose source stream has no language tag, e.g. "und" */
    public TranscodeJobHandler(VideoRepository videos, BlobStore blobs, Transactions tx, EventLog events, JobQueue jobs, Ffmpeg ffmpeg,
                               Path workRoot, String x264Preset, MediaLimits limits, String defaultAudioLanguage, Consumer<Duration> timeToPlayable,
                               CaptionRepository captions) {
        this(videos, blobs, tx, events, jobs, ffmpeg, workRoot, x264Preset, limits, defaultAudioLanguage, timeToPlayable, captions, Av1Ladder.OFF,
                ChunkSettings.DEFAULT, SourceCopy.Retirements.KEEP);
    }

    /**
     * @param av1 the optional AV1 rungs, encoded by the ladder job beside the H.264 ones ({@link Av1Ladder#OFF}: none)
     * @param chunking when a long video's ladder is split into chunk jobs, and x264's threads
     */
    public TranscodeJobHandler(VideoRepository videos, BlobStore blobs, Transactions tx, EventLog events, JobQueue jobs, Ffmpeg ffmpeg,
                               Path workRoot, String x264Preset, MediaLimits limits, String defaultAudioLanguage, Consumer<Duration> timeToPlayable,
                               CaptionRepository captions, Av1Ladder av1, ChunkSettings chunking) {
        this(videos, blobs, tx, events, jobs, ffmpeg, workRoot, x264Preset, limits, defaultAudioLanguage, timeToPlayable, captions, av1,
                chunking, SourceCopy.Retirements.KEEP);
    }

    /** @param copies where a copied source's files are recorded for deletion once the ladder replaced it */
    public TranscodeJobHandler(VideoRepository videos, BlobStore blobs, Transactions tx, EventLog events, JobQueue jobs, Ffmpeg ffmpeg,
                               Path workRoot, String x264Preset, MediaLimits limits, String defaultAudioLanguage, Consumer<Duration> timeToPlayable,
                               CaptionRepository captions, Av1Ladder av1, ChunkSettings chunking, SourceCopy.Retirements copies) {
        this.copies = copies;
        this.av1 = av1;
        this.jobs = jobs;
        this.chunking = chunking;
        this.manifests = new ManifestWriter(blobs, tx, captions);
        if (!AudioLanguage.isValidTag(defaultAudioLanguage)) {
            throw new IllegalArgumentException("The default audio language must be a BCP 47 tag such as und, en or pt-BR, not '"
                    + defaultAudioLanguage + "'");
        }
        this.defaultAudioLanguage = defaultAudioLanguage;
        this.videos = videos;
        this.tx = tx;
        this.events = events;
        this.blobs = blobs;
        this.probe = new MediaProbe(ffmpeg, limits);
        this.ffmpeg = ffmpeg;
        this.x264Preset = x264Preset;
        this.limits = limits;
        this.workRoot = workRoot;
        this.timeToPlayable = timeToPlayable;
    }

    @Override
    public String kind() {
        return UploadService.TRANSCODE_JOB;
    }

    /** The handler of the second job, {@code transcode-ladder}: the rungs after the first, and the storyboard. */
    public JobHandler ladder() {
        return new JobHandler() {
            @Override
            public String kind() {
                return UploadService.LADDER_JOB;
            }

            @Override
            public void run(Job job, JobContext context) throws Exception {
                TranscodeJobHandler.this.run(job, false);
            }

            @Override
            public void onDeadLetter(Job job, String lastError) {
                TranscodeJobHandler.this.onDeadLetter(job, lastError);
            }
        };
    }

    /** The handler of the chunk jobs, {@code transcode-chunk}: the rungs after the first for one chunk's span. */
    public JobHandler chunk() {
        return new JobHandler() {
            @Override
            public String kind() {
                return UploadService.CHUNK_JOB;
            }

            @Override
            public void run(Job job, JobContext context) throws Exception {
                TranscodeJobHandler.this.runChunk(job);
            }

            @Override
            public void onDeadLetter(Job job, String lastError) {
                TranscodeJobHandler.this.onDeadLetter(job, lastError);
            }
        };
    }

    @Override
    public void run(Job job, JobContext context) throws Exception {
        run(job, true);
    }

    private void run(Job job, boolean firstPass) throws Exception {
        String id = job.videoId();
        Optional<Video> found = videos.find(id).filter(v -> !v.isDeleted());
        if (found.isEmpty()) {
            log.info("video {} is gone; nothing to transcode", id);
            return;
        }
        Instant queuedAt = found.get().updatedAt();
        Path work = workRoot.resolve(id + "-" + job.id() + "-" + job.attempts());
        deleteTree(work);
        Files.createDirectories(work);
        try {
            transcode(found.get(), work, queuedAt, firstPass, job.maxAttempts());
        } finally {
            deleteTree(work);
        }
    }

    private void transcode(Video video, Path work, Instant queuedAt, boolean firstPass, int maxAttempts) throws IOException {
        String id = video.id();
        Path source = blobs.localFile(BlobKeys.original(id), work);
        MediaInfo info;
        try {
            info = probe.probe(source);
        } catch (UnplayableMediaException e) {
            log.info("video {} is not playable: {}", id, e.getMessage());
            fail(video, 0, e.getMessage());
            return;
        }
        if (firstPass) videos.updateSourceInfo(id, info.durationSeconds(), info.width(), info.height());
        // Every ffmpeg run of this attempt shares one budget, so a file that decodes far slower
        // than its duration suggests cannot hold a worker for hours (the flat per-run timeout is 12 h).
        Duration budget = limits.timeBudget(info.durationSeconds());
        Ffmpeg budgeted = ffmpeg.withDeadline(Instant.now().plus(budget));
        try {
            CmafEncoder encoder = new CmafEncoder(budgeted, x264Preset, chunking.x264Threads(), av1.preset());
            if (firstPass && chunking.applies(info.durationSeconds())) {
                // Chunks are queued before the first rung is encoded, so other workers start on
                // them at once; the first-rung job's higher priority still puts every video's
                // first rung ahead of them. The storyboard joins this pass's decode instead.
                boolean copy = copyRoute(video, source, info, budgeted);
                // Recorded before any chunk is queued: with a copied source every chunk encodes
                // every rung of its span, the lowest too, so the source is decoded once in all.
                if (copy) blobs.put(BlobKeys.chunkedSourceCopy(id), "copy\n".getBytes(StandardCharsets.UTF_8), "text/plain");
                ChunkPlan plan = chunkPlan(id, source, info, budgeted);
                // One transaction for all of them: one commit instead of one per chunk (38 for ten minutes, ~80 ms
                // before the copy pass could start), and a crash queues all or none.
                tx.inTransaction(() -> {
                    for (ChunkPlan.Chunk c : plan.chunks()) {
                        jobs.enqueue(new JobRequest(UploadService.CHUNK_JOB, id, c.number(), JobRequest.DEFAULT_PRIORITY, maxAttempts));
                    }
                });
                log.info("video {}: ladder split into {} chunks of {} s", id, plan.size(), chunking.chunkSeconds());
                if (!firstRung(video, source, info, work, queuedAt, encoder, true, copy)) {
                    // The copy's segments came out misaligned: the lowest rung is encoded whole after
                    // all (the chunks, recorded as copy-route, encode it too; the assembly takes theirs).
                    videos.deleteRendition(id, SourceCopy.RENDITION);
                    firstRung(video, source, info, work, queuedAt, encoder, true, false);
                }
                assembleIfDone(video, info);
            } else if (firstPass) {
                if (!firstRung(video, source, info, work, queuedAt, encoder, false, copyRoute(video, source, info, budgeted))) {
                    // The copied stream's segments did not come out 4 s long after all: the
                    // lowest rung is encoded instead, and the ladder job encodes the rest.
                    videos.deleteRendition(id, SourceCopy.RENDITION);
                    firstRung(video, source, info, work, queuedAt, encoder, false, false);
                }
                jobs.enqueue(new JobRequest(UploadService.LADDER_JOB, id, JobRequest.DEFAULT_PRIORITY, maxAttempts));
            } else {
                restOfLadder(video, source, info, work, encoder, new Thumbnails(budgeted));
            }
        } catch (FfmpegTimeoutException e) {
            log.warn("video {} exceeded its time budget of {}: {}", id, budget, e.getMessage());
            overBudget(id, "Transcoding took longer than the " + MediaLimits.readable(budget.toMillis() / 1000.0)
                    + " allowed for a video of this length and was stopped. The file decodes unusually slowly; "
                    + "export it again (for example as H.264 MP4) and upload that.");
        }
    }

    /**
     * Whether this video's first pass copies the source's video stream ({@link SourceCopy})
     * rather than encoding the lowest rung. A retry keeps the route an earlier attempt published.
     */
    private boolean copyRoute(Video video, Path source, MediaInfo info, Ffmpeg budgeted) {
        String id = video.id();
        Set<String> published = videos.renditions(id).stream().map(Rendition::name).collect(Collectors.toSet());
        if (published.contains(SourceCopy.RENDITION)) return true;
        if (published.contains(planner.plan(info).getFirst().name())) return false;
        SourceCopy.Decision decision;
        try {
            decision = SourceCopy.decide(SourceCopy.probe(budgeted, source, info), info, chunking.sourceCopyMaxMbps());
        } catch (RuntimeException e) {
            decision = new SourceCopy.Decision(false, "the keyframe probe failed: " + e.getMessage());
        }
        log.info("video {}: route {}: {}", id, decision.copy() ? "source-copy (the first pass copies the source's video stream)"
                : "lowest-rung (the first pass encodes the lowest rung)", decision.reason());
        return decision.copy();
    }

    /** The ladder as the manifests list it while the copied source is published: the copy first, then every rung. */
    private static List<Rung> withCopy(Rung copied, List<Rung> ladder) {
        List<Rung> all = new ArrayList<>(List.of(copied));
        all.addAll(ladder);
        return List.copyOf(all);
    }

    /**
     * The first job: the lowest rung (or, with {@code copy}, the source's own video stream,
     * copied) with the audio and the poster, published while it is written. Returns once it is
     * complete and stored; false only when a copied stream's segments turned out not to be
     * {@value CmafEncoder#SEGMENT_SECONDS} s long (the caller then encodes the lowest rung).
     */
    private boolean firstRung(Video video, Path source, MediaInfo info, Path work, Instant queuedAt, CmafEncoder encoder,
                              boolean withStoryboard, boolean copy) throws IOException {
        String id = video.id();
        List<Rung> ladder = plan(info);
        Rung first = ladder.getFirst();
        String track = copy ? SourceCopy.RENDITION : first.name();
        log.info("video {}: {}x{} {}s, ladder {}", id, info.width(), info.height(),
                Math.round(info.durationSeconds()), ladder.stream().map(Rung::name).toList());
        if (complete(id, track) && (!info.hasAudio() || complete(id, Rendition.AUDIO))) {
            log.info("video {}: first rung already complete", id);
            return true;
        }
        ProgressReporter progress = new ProgressReporter(videos, id);
        Path out = work.resolve("first");
        Path poster = work.resolve(BlobKeys.POSTER);
        // A copy pass makes the storyboard from the source's keyframes (it decodes nothing else), so
        // that the ladder's one decode carries no storyboard branch: about 5 % of the plain
        // ladder's CPU, the difference between the job's 1.09x and the 1.05x.
        boolean boardPending = (withStoryboard || copy) && blobs.stat(BlobKeys.storyboard(id)).isEmpty();
        Path boardDir = work.resolve("storyboard");
        List<String> tracks = new ArrayList<>(List.of(track));
        if (info.hasAudio()) tracks.add(Rendition.AUDIO);
        GrowingPublisher growing = new GrowingPublisher(out, tracks, copy ? Optional.of(track) : Optional.empty(), info.frameRate());
        Optional<Path> copiedDir = copy ? Optional.of(out.resolve(track)) : Optional.empty();
        boolean[] announced = {videos.find(id).map(v -> v.status() == VideoStatus.READY).orElse(false)};
        RuntimeException[] failure = {null};
        // A retry of a video that is already playable publishes nothing until its pass is done:
        // viewers hold the earlier attempt's EVENT playlist, which must never shrink.
        // Stopped by a flag, not an interrupt: an interrupt would close a file channel mid-copy.
        java.util.concurrent.atomic.AtomicBoolean encoding = new java.util.concurrent.atomic.AtomicBoolean(true);
        Runnable publishWhileEncoding = () -> {
            try {
                while (encoding.get()) {
                    growing.sync(id);
                    if (!announced[0] && growing.playable()) {
                        announced[0] = true;
                        announce(video, info, ladder, poster, queuedAt, copiedDir);
                    }
                    Thread.sleep(POLL.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException | RuntimeException e) {
                failure[0] = e instanceof RuntimeException r ? r : new java.io.UncheckedIOException(e.getMessage(), (IOException) e);
            }
        };
        Thread poller = announced[0] ? null : Thread.ofVirtual().name("publish-" + id).start(publishWhileEncoding);
        CmafOutput encoded;
        try {
            encoded = copy
                    ? encoder.copySource(source, info, track, out, p -> progress.report(2 + p * (FIRST_RUNG_DONE - 2)), poster,
                            boardPending ? Optional.of(boardDir) : Optional.empty(), info.hasAudio() && copyAudio(id, source, info))
                    : encoder.encode(source, info, List.of(first), info.hasAudio(), out,
                    p -> progress.report(2 + p * (FIRST_RUNG_DONE - 2)),
                    new CmafEncoder.Extras(true, Optional.of(poster), boardPending ? Optional.of(boardDir) : Optional.empty()));
        } finally {
            encoding.set(false);
            if (poller != null) {
                try {
                    poller.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        if (copy && failure[0] == null) {
            // The final check, over every segment the muxer cut (the publisher saw those listed while it ran).
            List<Double> durations = encoded.video().getFirst().playlist().segments().stream().map(MediaPlaylist.Segment::durationSeconds).toList();
            int bad = SourceCopy.firstMisaligned(durations, true, info.frameRate());
            if (bad >= 0) failure[0] = new MisalignedCopy(bad, durations.get(bad));
        }
        if (failure[0] instanceof MisalignedCopy m) {
            log.warn("video {}: route lowest-rung after all: {}", id, m.getMessage());
            // Nobody was told of a copy not yet announced; an announced one stays stored for its viewers until it is retired.
            if (!announced[0]) blobs.deletePrefix(BlobKeys.videoPrefix(id) + track + "/");
            return false;
        }
        if (failure[0] != null) throw failure[0];
        if (boardPending) storeStoryboard(id, boardDir);
        List<Rung> listed = copy ? withCopy(encoded.video().getFirst().rung(), ladder) : ladder;
        // The rungs' final playlists (measured, with ENDLIST) and I-frame playlists, over the segments already stored.
        if (!publish(video, info, listed, encoded, growing.stored())) return true;
        if (!announced[0]) announce(video, info, ladder, poster, queuedAt, copiedDir);
        else blobs.put(BlobKeys.poster(id), poster, "image/jpeg");
        progress.report(FIRST_RUNG_DONE);
        log.info("video {}: {} complete", id, track);
        return true;
    }

    /** Whether the copy pass copies the audio as well ({@link SourceCopy#decideAudio}); a failed probe means encoding it. */
    private boolean copyAudio(String id, Path source, MediaInfo info) {
        SourceCopy.Decision d;
        try {
            // One stream header: a probe's timeout, not a transcode's 12 hours.
            d = SourceCopy.decideAudio(SourceCopy.probeAudio(ffmpeg.withTimeout(MediaProbe.PROBE_TIMEOUT), source, info));
        } catch (RuntimeException e) {
            d = new SourceCopy.Decision(false, "the audio probe failed: " + e.getMessage());
        }
        log.info("video {}: audio {} ({})", id, d.copy() ? "copied" : "encoded", d.reason());
        return d.copy();
    }

    /** A copied source stream whose segments the muxer did not cut every {@value CmafEncoder#SEGMENT_SECONDS} s. */
    private static final class MisalignedCopy extends IllegalStateException {
        MisalignedCopy(int segment, double seconds) {
            super(String.format(java.util.Locale.ROOT, "the copied stream's segment %d is %.3f s, not %d s: the source has no keyframe there",
                    segment + 1, seconds, CmafEncoder.SEGMENT_SECONDS));
        }
    }

    /**
     * The video turns ready: the first segments of every track are stored. Records the
     * renditions (bandwidth measured over what exists so far; rewritten when the rung completes),
     * stores the poster and writes the master over them and the planned rest of the ladder.
     */
    private void announce(Video video, MediaInfo info, List<Rung> ladder, Path poster, Instant queuedAt, Optional<Path> copiedDir)
            throws IOException {
        String id = video.id();
        if (Files.isRegularFile(poster)) blobs.put(BlobKeys.poster(id), poster, "image/jpeg");
        Rung first = ladder.getFirst();
        List<Rung> listed = ladder;
        if (copiedDir.isPresent()) {
            // The copy described by what is stored so far (its rates are measured again when it completes).
            first = CmafEncoder.copiedRung(info, SourceCopy.RENDITION, copiedDir.get(), readPlaylist(id, SourceCopy.RENDITION, BlobKeys.RUNG_PLAYLIST));
            listed = withCopy(first, ladder);
        }
        MediaPlaylist playlist = readPlaylist(id, first.name(), BlobKeys.RUNG_PLAYLIST);
        long peak = playlist.peakBitsPerSecond().orElse(first.maxBitrateKbps() * 1000L);
        videos.upsertRendition(new Rendition(id, first.name(), first.width(), first.height(),
                (int) Math.min(Integer.MAX_VALUE, peak + (info.hasAudio() ? 128_000 : 0)), first.codecs(), info.frameRate()));
        if (info.hasAudio()) {
            MediaPlaylist audio = readPlaylist(id, Rendition.AUDIO, BlobKeys.RUNG_PLAYLIST);
            videos.upsertRendition(new Rendition(id, Rendition.AUDIO, 0, 0,
                    (int) Math.min(Integer.MAX_VALUE, audio.peakBitsPerSecond().orElse(128_000)), "mp4a.40.2", 0));
        }
        if (videos.find(id).map(Video::isDeleted).orElse(true)) return;
        writeManifests(id, info, listed, false);
        String firstName = first.name();
        tx.inTransaction(() -> {
            videos.markReady(id);
            events.append(new DomainEvent.VideoPublished(id, video.ownerId(), video.privacy(), firstName), Instant.now());
        });
        Duration ttp = Duration.between(queuedAt, Instant.now());
        timeToPlayable.accept(ttp);
        log.info("video {} playable at {} after {} ms{}", id, firstName, ttp.toMillis(),
                complete(id, firstName) ? "" : ", while its first rung is still being encoded");
    }

    /** The second job: every rung after the first, and the storyboard, in one decode. */
    private void restOfLadder(Video video, Path source, MediaInfo info, Path work, CmafEncoder encoder, Thumbnails thumbnails)
            throws IOException {
        String id = video.id();
        List<Rung> ladder = plan(info);
        Set<String> published = videos.renditions(id).stream().map(Rendition::name).collect(Collectors.toSet());
        // Every rung not published yet: the rungs after the first, or all of them (the first too)
        // when the first pass copied the source, so that the source is decoded once for the ladder.
        List<Rung> pending = ladder.stream().filter(r -> !published.contains(r.name())).toList();
        boolean boardPending = blobs.stat(BlobKeys.storyboard(id)).isEmpty();
        Path boardDir = work.resolve("storyboard");
        ProgressReporter progress = new ProgressReporter(videos, id);
        if (!pending.isEmpty()) {
            Path out = work.resolve("rest");
            int start = Math.max(progress.last(), FIRST_RUNG_DONE);
            CmafOutput encoded = encoder.encode(source, info, pending, false, out,
                    p -> progress.report(start + p * (LADDER_DONE - start)),
                    new CmafEncoder.Extras(false, Optional.empty(), boardPending ? Optional.of(boardDir) : Optional.empty()));
            if (!publish(video, info, ladder, encoded, Set.of())) return;
            log.info("video {}: {} joined the ladder", id, pending.stream().map(Rung::name).toList());
            if (published.contains(SourceCopy.RENDITION)) retireCopy(id, info);
        } else if (boardPending) {
            thumbnails.storyboard(source, info, boardDir);
        }
        progress.report(LADDER_DONE);
        if (boardPending) storeStoryboard(id, boardDir);
        // Once, as for chunks: a retry after a crash between this and the job's completion announces nothing twice.
        if (announceProcessed(video, ladder.size())) log.info("video {} fully transcoded", id);
        else log.info("video {}: ladder finished again, already announced", id);
    }

    /**
     * The ladder has replaced the copied source: the master and the MPD no longer list it (they
     * were just rewritten from the ladder), its row goes, and its files are deleted after
     * {@link SourceCopy#grace}, not at once, so that a viewer who loaded its playlist before the
     * rewrite plays on (hls.js and dash.js never reload the master or a static MPD).
     */
    private void retireCopy(String id, MediaInfo info) {
        videos.deleteRendition(id, SourceCopy.RENDITION);
        Duration grace = SourceCopy.grace(info.durationSeconds());
        copies.retire(id, Instant.now().plus(grace));
        log.info("video {}: the copied source left the master; its files go after {}", id, grace);
    }

    /** The H.264 ladder, lowest first, then the AV1 rungs if they are on (so the first rung is always H.264). */
    private List<Rung> plan(MediaInfo info) {
        List<Rung> h264 = planner.plan(info);
        List<Rung> all = new ArrayList<>(h264);
        all.addAll(av1.plan(h264, info.frameRate()));
        return List.copyOf(all);
    }

    /**
     * The chunk plan of a chunked video: stored by the first attempt that makes it (so every
     * chunk job and the assembly agree on it, whatever the configuration says later), read back
     * by the rest. Cut points prefer the source's keyframes (ffprobe reads packet flags, not the
     * pictures, so this costs one read of the file and no decode).
     */
    private ChunkPlan chunkPlan(String id, Path source, MediaInfo info, Ffmpeg budgeted) throws IOException {
        String key = BlobKeys.chunkPlan(id);
        if (blobs.stat(key).isPresent()) {
            try (var in = blobs.open(key)) {
                List<ChunkPlan.Chunk> chunks = new ArrayList<>();
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    if (line.isBlank()) continue;
                    String[] f = line.strip().split(" ");
                    chunks.add(new ChunkPlan.Chunk(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Double.parseDouble(f[2])));
                }
                return new ChunkPlan(chunks);
            }
        }
        // ffprobe seeks to each boundary a cut may take and reads one packet: the keyframe at or
        // before it, found through the container's index. A long file costs a few dozen seeks
        // before the first rung starts, not a read of the whole file.
        List<String> intervals = new ArrayList<>(List.of("%+#1")); // the first packet: where the timeline starts
        for (int candidate : ChunkPlan.candidates(info.durationSeconds(), chunking.chunkSeconds())) intervals.add(candidate + "%+#1");
        List<String> args = new ArrayList<>(List.of("-v", "error", "-select_streams", "v:0",
                "-show_entries", "packet=pts_time,flags", "-of", "csv=p=0", "-read_intervals", String.join(",", intervals)));
        args.addAll(org.kinora.media.ffmpeg.UntrustedInput.arguments(info));
        List<Double> keyframes = new ArrayList<>();
        for (String line : budgeted.runFfprobe(args, source).split("\n")) {
            String[] f = line.strip().split(",");
            if (f.length >= 2 && f[1].startsWith("K") && !f[0].equals("N/A")) keyframes.add(Double.parseDouble(f[0]));
        }
        keyframes.sort(null);
        // The encoders' timeline starts at the first frame (an exact seek counts from there too).
        double start = keyframes.isEmpty() ? 0 : keyframes.getFirst();
        keyframes.replaceAll(k -> k - start);
        ChunkPlan plan = ChunkPlan.plan(info.durationSeconds(), chunking.chunkSeconds(), keyframes, info.frameRate());
        StringBuilder text = new StringBuilder();
        for (ChunkPlan.Chunk c : plan.chunks()) {
            text.append(c.number()).append(' ').append(c.startSeconds()).append(' ')
                    .append(String.format(java.util.Locale.ROOT, "%.6f", c.lengthSeconds())).append('\n');
        }
        blobs.put(key, text.toString().getBytes(StandardCharsets.UTF_8), "text/plain");
        return plan;
    }

    /**
     * One chunk job: the rungs after the first for the chunk's span. Its segments are stored
     * under their final names (numbered as in the whole rendition, timestamps moved to the
     * chunk's place), then its playlists as the chunk's private record of being done; a worker
     * killed before that leaves no record, so the retry encodes the chunk again over the same
     * names, and nothing public lists them until the assembly. Whoever finishes last (a chunk
     * or the first-rung job) assembles.
     */
    private void runChunk(Job job) throws Exception {
        String id = job.videoId();
        Optional<Video> found = videos.find(id).filter(v -> !v.isDeleted());
        if (found.isEmpty() || found.get().status() == VideoStatus.FAILED) {
            log.info("video {} is gone or failed; chunk {} not encoded", id, job.part());
            return;
        }
        Path work = workRoot.resolve(id + "-" + job.id() + "-" + job.attempts());
        deleteTree(work);
        Files.createDirectories(work);
        try {
            Path source = blobs.localFile(BlobKeys.original(id), work);
            MediaInfo info;
            try {
                info = probe.probe(source);
            } catch (UnplayableMediaException e) {
                log.info("video {}: chunk {} not encoded, the file is not playable (the first pass says why)", id, job.part());
                return;
            }
            // The first pass stored the plan; making it again is one short ffprobe, with a probe's timeout.
            ChunkPlan plan = chunkPlan(id, source, info, ffmpeg.withTimeout(MediaProbe.PROBE_TIMEOUT));
            ChunkPlan.Chunk chunk = plan.chunk(job.part());
            // This job encodes the chunk's span only: its budget is sized to the chunk, not to the whole video.
            Ffmpeg budgeted = ffmpeg.withDeadline(Instant.now().plus(chunk.timeBudget(limits)));
            List<Rung> rest = chunkRungs(id, info);
            if (rest.isEmpty() || chunkDone(id, rest, chunk.number())) {
                assembleIfDone(found.get(), info);
                return;
            }
            Path out = work.resolve("chunk");
            boolean last = chunk.number() == plan.size();
            CmafOutput encoded;
            try {
                encoded = new CmafEncoder(budgeted, x264Preset, chunking.x264Threads(), av1.preset()).encodeSpan(source, info, rest, out, p -> {},
                        chunk.startSeconds(), last ? java.util.OptionalDouble.empty() : java.util.OptionalDouble.of(chunk.lengthSeconds()),
                        chunk.firstSegment());
            } catch (FfmpegTimeoutException e) {
                log.warn("video {}: chunk {} exceeded the time budget: {}", id, chunk.number(), e.getMessage());
                overBudget(id, "Transcoding took longer than allowed for a video of this length and was stopped. "
                        + "The file decodes unusually slowly; export it again (for example as H.264 MP4) and upload that.");
                return;
            }
            String prefix = BlobKeys.videoPrefix(id);
            for (VideoRendition r : encoded.video()) {
                Path dir = out.resolve(r.name());
                List<Path> segments;
                try (Stream<Path> files = Files.list(dir)) {
                    segments = files.filter(f -> f.getFileName().toString().endsWith(".m4s")).sorted().toList();
                }
                for (Path seg : segments) {
                    Fmp4Boxes.shiftDecodeTime(seg, chunk.startSeconds(), r.timescale());
                    String segKey = prefix + r.name() + "/" + seg.getFileName();
                    blobs.put(segKey, seg, BlobKeys.contentType(segKey));
                }
                // Every chunk's init segment describes the same stream (same encoder settings);
                // the first chunk's is the rendition's.
                if (chunk.number() == 1) blobs.put(prefix + BlobKeys.initSegmentPath(r.name()), dir.resolve(BlobKeys.INIT_SEGMENT), "video/mp4");
            }
            for (VideoRendition r : encoded.video()) {
                Path dir = out.resolve(r.name());
                blobs.put(BlobKeys.chunkPlaylist(id, r.name(), chunk.number(), BlobKeys.IFRAME_PLAYLIST), dir.resolve(IFramePlaylist.FILE), "text/plain");
                blobs.put(BlobKeys.chunkPlaylist(id, r.name(), chunk.number(), BlobKeys.RUNG_PLAYLIST), dir.resolve(BlobKeys.RUNG_PLAYLIST), "text/plain");
            }
            if (videos.find(id).map(Video::isDeleted).orElse(true)) {
                // Deleted while this chunk ran: the deletion may have removed the folder before
                // these segments were stored, so they go now.
                blobs.deletePrefix(prefix);
                log.info("video {} was deleted while chunk {} was encoded; stopped", id, chunk.number());
                return;
            }
            log.info("video {}: chunk {}/{} ({} s from {} s) encoded by {}", id, chunk.number(), plan.size(),
                    Math.round(chunk.lengthSeconds()), chunk.startSeconds(), rest.stream().map(Rung::name).toList());
            assembleIfDone(found.get(), info);
        } finally {
            deleteTree(work);
        }
    }

    /** The rungs a chunk encodes: those after the first, or every rung when the first pass copied the source. */
    private List<Rung> chunkRungs(String id, MediaInfo info) throws IOException {
        List<Rung> ladder = planner.plan(info);
        return blobs.stat(BlobKeys.chunkedSourceCopy(id)).isPresent() ? ladder : ladder.stream().skip(1).toList();
    }

    private boolean chunkDone(String id, List<Rung> rungs, int chunk) throws IOException {
        for (Rung r : rungs) {
            if (blobs.stat(BlobKeys.chunkPlaylist(id, r.name(), chunk, BlobKeys.RUNG_PLAYLIST)).isEmpty()) return false;
        }
        return true;
    }

    /**
     * When the first rung and every chunk are done: joins each rung's chunk playlists into the
     * rendition's playlists, records the rungs and rewrites the master and the MPD. Otherwise
     * reports how many chunks are done. Idempotent (two finishers at the same instant both write
     * the same files).
     */
    private void assembleIfDone(Video video, MediaInfo info) throws IOException {
        String id = video.id();
        List<Rung> ladder = planner.plan(info);
        String blobKey = BlobKeys.chunkPlan(id);
        if (blobs.stat(blobKey).isEmpty()) throw new IllegalStateException("video " + id + " has chunk jobs but no chunk plan");
        ChunkPlan plan = chunkPlan(id, null, info, ffmpeg);
        List<Rung> rest = chunkRungs(id, info);
        int done = 0;
        for (ChunkPlan.Chunk c : plan.chunks()) if (chunkDone(id, rest, c.number())) done++;
        ProgressReporter progress = new ProgressReporter(videos, id);
        // The first pass is done when its track is complete: the lowest rung, or the copied source.
        boolean copied = rest.size() == ladder.size();
        boolean firstDone = complete(id, ladder.getFirst().name()) || copied && complete(id, SourceCopy.RENDITION);
        if (done < plan.size() || !firstDone) {
            if (firstDone) progress.report(FIRST_RUNG_DONE + (LADDER_DONE - FIRST_RUNG_DONE) * done / plan.size());
            return;
        }
        String prefix = BlobKeys.videoPrefix(id);
        for (Rung r : rest) {
            for (String file : List.of(BlobKeys.IFRAME_PLAYLIST, BlobKeys.RUNG_PLAYLIST)) {
                List<String> parts = new ArrayList<>();
                for (ChunkPlan.Chunk c : plan.chunks()) {
                    try (var in = blobs.open(BlobKeys.chunkPlaylist(id, r.name(), c.number(), file))) {
                        parts.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    }
                }
                String key = prefix + BlobKeys.rungFile(r.name(), file);
                blobs.put(key, ChunkPlaylists.join(parts).getBytes(StandardCharsets.UTF_8), BlobKeys.contentType(key));
            }
            MediaPlaylist playlist = readPlaylist(id, r.name(), BlobKeys.RUNG_PLAYLIST);
            long peak = playlist.peakBitsPerSecond().orElse(r.maxBitrateKbps() * 1000L);
            videos.upsertRendition(new Rendition(id, r.name(), r.width(), r.height(),
                    (int) Math.min(Integer.MAX_VALUE, peak + (info.hasAudio() ? 128_000 : 0)), r.codecs(), info.frameRate()));
        }
        if (videos.find(id).map(Video::isDeleted).orElse(true)) {
            blobs.deletePrefix(prefix);
            return;
        }
        writeManifests(id, info, ladder, true);
        if (videos.renditions(id).stream().anyMatch(r -> r.name().equals(SourceCopy.RENDITION))) retireCopy(id, info);
        if (announceProcessed(video, ladder.size())) log.info("video {} fully transcoded from {} chunks", id, plan.size());
        else log.info("video {}: assembled again from {} chunks, already announced by another finisher", id, plan.size());
    }

    /**
     * Ready at 100 % and {@code VideoProcessed}, once per video however many finishers get here:
     * the conditional update ({@link VideoRepository#markProcessed}) lets one win, and the event
     * is appended in its transaction only when it did. Called after every file the event
     * announces is stored, so a finisher killed before this commits leaves the video unannounced
     * with its job unfinished; the job's retry (its lease lapses) assembles again over the same
     * names and gets here. One killed after the commit has nothing left to do.
     *
     * @return whether this call announced it
     */
    private boolean announceProcessed(Video video, int rungs) {
        return tx.inTransaction(() -> {
            if (!videos.markProcessed(video.id())) return false;
            events.append(new DomainEvent.VideoProcessed(video.id(), video.ownerId(), rungs), Instant.now());
            return true;
        });
    }

    /** Stores the storyboard's sheets, then the VTT that names them. */
    private void storeStoryboard(String id, Path boardDir) throws IOException {
        try (Stream<Path> files = Files.list(boardDir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".jpg")).sorted().toList()) {
                blobs.put(BlobKeys.thumb(id, f.getFileName().toString()), f, "image/jpeg");
            }
        }
        blobs.put(BlobKeys.storyboard(id), boardDir.resolve(BlobKeys.STORYBOARD), "text/vtt");
    }

    /** The rendition's stored playlist is final: ffmpeg wrote ENDLIST. */
    private boolean complete(String id, String rendition) throws IOException {
        String key = BlobKeys.videoPrefix(id) + BlobKeys.rungPlaylistPath(rendition);
        if (blobs.stat(key).isEmpty()) return false;
        try (var in = blobs.open(key)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).contains("#EXT-X-ENDLIST");
        }
    }

    /**
     * Stores a growing pass's finished segments while ffmpeg writes more: per track, the init
     * segment and the new segments first, then the playlist that lists them, so a player never
     * sees a segment named that is not stored yet. Called from one thread at a time.
     */
    private final class GrowingPublisher {
        private final Path out;
        private final List<String> tracks;
        private final Set<String> stored = new java.util.HashSet<>();
        private final java.util.Map<String, Integer> segments = new java.util.HashMap<>();
        /** A copied source track, whose segments are checked to be 4 s before they are stored. */
        private final Optional<String> copied;
        private final double frameRate;
        private final int needed;

        GrowingPublisher(Path out, List<String> tracks, Optional<String> copied, double frameRate) {
            this.needed = copied.isPresent() ? COPY_PLAYABLE_SEGMENTS : PLAYABLE_SEGMENTS;
            this.out = out;
            this.tracks = tracks;
            this.copied = copied;
            this.frameRate = frameRate;
        }

        void sync(String id) throws IOException {
            String prefix = BlobKeys.videoPrefix(id);
            for (String track : tracks) {
                Path dir = out.resolve(track);
                Optional<GrowingPlaylist> now = GrowingPlaylist.read(dir);
                if (now.isEmpty() || now.get().segments().size() == segments.getOrDefault(track, 0)) continue;
                if (copied.isPresent() && copied.get().equals(track)) {
                    // Checked before anything of it is stored: publishing stops at the first segment that is not 4 s.
                    List<Double> durations = MediaPlaylist.parse(now.get().m3u8()).segments().stream()
                            .map(MediaPlaylist.Segment::durationSeconds).toList();
                    int bad = SourceCopy.firstMisaligned(durations, now.get().complete(), frameRate);
                    if (bad >= 0) throw new MisalignedCopy(bad, durations.get(bad));
                }
                List<Path> files = new ArrayList<>();
                files.add(dir.resolve(BlobKeys.INIT_SEGMENT));
                files.addAll(now.get().segments());
                for (Path f : files) {
                    String key = prefix + track + "/" + f.getFileName();
                    if (stored.add(key)) blobs.put(key, f, BlobKeys.contentType(key));
                }
                String playlist = prefix + BlobKeys.rungPlaylistPath(track);
                blobs.put(playlist, now.get().m3u8().getBytes(StandardCharsets.UTF_8), BlobKeys.contentType(playlist));
                segments.put(track, now.get().segments().size());
            }
        }

        boolean playable() {
            int fewest = tracks.stream().mapToInt(t -> segments.getOrDefault(t, 0)).min().orElse(0);
            return fewest >= needed;
        }

        /** Keys of the segments already stored, which the final publish need not store again. */
        Set<String> stored() {
            return Set.copyOf(stored);
        }
    }

    /**
     * Stores the encoded files (segments before the playlists that name them), records the
     * renditions and rewrites the master playlist and the MPD over everything published so far.
     * Returns false when the video was deleted meanwhile; its files are then removed.
     */
    private boolean publish(Video video, MediaInfo info, List<Rung> ladder, CmafOutput encoded, Set<String> alreadyStored) throws IOException {
        String id = video.id();
        String prefix = BlobKeys.videoPrefix(id);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(encoded.outDir())) {
            files = walk.filter(Files::isRegularFile)
                    .sorted(Comparator.comparing((Path p) -> p.getFileName().toString().endsWith(".m3u8")).thenComparing(Path::toString))
                    .toList();
        }
        for (Path f : files) {
            String key = prefix + encoded.outDir().relativize(f).toString().replace('\\', '/');
            if (alreadyStored.contains(key)) continue;
            blobs.put(key, f, BlobKeys.contentType(key));
        }
        // Bandwidths are the measured peaks, as in the master playlist (video plus the stereo
        // AAC's nominal rate; the audio's own peak is within a few kb/s of it).
        for (VideoRendition r : encoded.video()) {
            videos.upsertRendition(new Rendition(id, r.name(), r.rung().width(), r.rung().height(),
                    (int) Math.min(Integer.MAX_VALUE, r.peakBitsPerSecond() + (info.hasAudio() ? 128_000 : 0)),
                    r.rung().codecs(), r.frameRate()));
        }
        encoded.audio().ifPresent(a -> videos.upsertRendition(new Rendition(id, Rendition.AUDIO, 0, 0,
                (int) Math.min(Integer.MAX_VALUE, a.peakBitsPerSecond()), a.codecs(), 0)));

        if (videos.find(id).map(Video::isDeleted).orElse(true)) {
            blobs.deletePrefix(prefix);
            log.info("video {} was deleted while transcoding; stopped", id);
            return false;
        }
        writeManifests(id, info, ladder, true);
        return true;
    }

    /**
     * @param dash also write the MPD; not while the first rung is still growing, as a static MPD
     *             cannot grow (the watch page's DASH player waits for the finished ladder)
     */
    private void writeManifests(String id, MediaInfo info, List<Rung> ladder, boolean dash) throws IOException {
        Set<String> published = videos.renditions(id).stream().map(Rendition::name).collect(Collectors.toSet());
        List<VideoRendition> video = new ArrayList<>();
        List<Rung> pending = new ArrayList<>();
        for (Rung rung : ladder) {
            // AV1 rungs join the master only once published: they are encoded with the rest of the
            // ladder, and a player that reached a pending AV1 variant would find no playlist there.
            if (!published.contains(rung.name()) && !rung.isAv1()) pending.add(rung);
            if (published.contains(rung.name())) {
                MediaPlaylist playlist = readPlaylist(id, rung.name(), BlobKeys.RUNG_PLAYLIST);
                // Renditions published before I-frame playlists existed have none.
                Optional<MediaPlaylist> iframes = blobs.stat(BlobKeys.videoPrefix(id) + rung.name() + "/" + IFramePlaylist.FILE).isPresent()
                        ? Optional.of(readPlaylist(id, rung.name(), IFramePlaylist.FILE))
                        : Optional.empty();
                video.add(new VideoRendition(rung, info.frameRate(), playlist, timescale(id, rung.name(), playlist), iframes));
            }
        }
        Optional<AudioRendition> audio = Optional.empty();
        if (published.contains(Rendition.AUDIO)) {
            MediaPlaylist playlist = readPlaylist(id, Rendition.AUDIO, BlobKeys.RUNG_PLAYLIST);
            String language = AudioLanguage.fromSourceTag(info.audioLanguage()).orElse(defaultAudioLanguage);
            audio = Optional.of(AudioRendition.aacStereo(playlist, language, timescale(id, Rendition.AUDIO, playlist)));
        }
        manifests.write(id, video, audio, pending, dash); // with the caption tracks, under the video's manifest lock
    }

    private MediaPlaylist readPlaylist(String id, String rendition, String file) throws IOException {
        try (var in = blobs.open(BlobKeys.videoPrefix(id) + BlobKeys.rungFile(rendition, file))) {
            return MediaPlaylist.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** The rendition's timescale from its init segment (a few hundred bytes), named by the playlist's EXT-X-MAP. */
    private long timescale(String id, String rendition, MediaPlaylist playlist) throws IOException {
        try (var in = blobs.open(BlobKeys.videoPrefix(id) + rendition + "/" + playlist.initUri())) {
            return Fmp4Boxes.timescale(in.readAllBytes());
        }
    }

    @Override
    public void onDeadLetter(Job job, String lastError) {
        Optional<Video> video = videos.find(job.videoId());
        if (video.isEmpty()) return;
        if (video.get().status() == VideoStatus.READY) {
            // Some rungs are playable; keep serving them rather than taking the video down.
            log.warn("video {} stays playable with a partial ladder: {}", job.videoId(), lastError);
            videos.updateStatus(job.videoId(), VideoStatus.READY, 100, null);
            return;
        }
        fail(video.get(), video.get().progress(),
                "Transcoding failed after " + job.attempts() + " attempts. The file may be damaged; try uploading it again.");
    }

    /** Ends the video at once: a playable one keeps its partial ladder, as after a dead letter. */
    private void overBudget(String id, String reason) {
        Optional<Video> video = videos.find(id);
        if (video.isEmpty()) return;
        if (video.get().status() == VideoStatus.READY) {
            videos.updateStatus(id, VideoStatus.READY, 100, null);
            return;
        }
        fail(video.get(), video.get().progress(), reason);
    }

    private void fail(Video video, int progress, String reason) {
        tx.inTransaction(() -> {
            videos.updateStatus(video.id(), VideoStatus.FAILED, progress, reason);
            events.append(new DomainEvent.VideoFailed(video.id(), video.ownerId(), reason), Instant.now());
        });
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
