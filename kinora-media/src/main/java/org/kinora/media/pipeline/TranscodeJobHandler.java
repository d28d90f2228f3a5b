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
import org.kinora.core.common.Transactions;
import org.kinora.core.events.DomainEvent;
import org.kinora.core.events.EventLog;
import org.kinora.core.jobs.Job;
import org.kinora.core.jobs.JobContext;
import org.kinora.core.jobs.JobHandler;
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
import org.kinora.media.ladder.LadderPlanner;
import org.kinora.media.ladder.Rung;
import org.kinora.media.packaging.AudioLanguage;
import org.kinora.media.packaging.AudioRendition;
import org.kinora.media.packaging.CmafEncoder;
import org.kinora.media.packaging.CmafOutput;
import org.kinora.media.packaging.DashManifest;
import org.kinora.media.packaging.Fmp4Boxes;
import org.kinora.media.packaging.HlsMasterPlaylist;
import org.kinora.media.packaging.IFramePlaylist;
import org.kinora.media.packaging.MediaPlaylist;
import org.kinora.media.packaging.Thumbnails;
import org.kinora.media.packaging.VideoRendition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an uploaded original into a published adaptive ladder, publishing early: the lowest rung
 * (with the audio and the poster) is encoded first and the video becomes playable as soon as it
 * is stored; the other rungs are encoded together in one decode pass and join the master
 * playlist and the MPD when they are stored; the storyboard comes last.
 *
 * <p>Idempotent: renditions already recorded are not encoded again, so a retry after a crash
 * continues where the last attempt stopped.
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

    /** @param defaultAudioLanguage BCP 47 tag the manifests give audio whose source stream has no language tag, e.g. "und" */
    public TranscodeJobHandler(VideoRepository videos, BlobStore blobs, Transactions tx, EventLog events, Ffmpeg ffmpeg,
                               Path workRoot, String x264Preset, MediaLimits limits, String defaultAudioLanguage, Consumer<Duration> timeToPlayable) {
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

    @Override
    public void run(Job job, JobContext context) throws Exception {
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
            transcode(found.get(), work, queuedAt);
        } finally {
            deleteTree(work);
        }
    }

    private void transcode(Video video, Path work, Instant queuedAt) throws IOException {
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
        videos.updateSourceInfo(id, info.durationSeconds(), info.width(), info.height());
        // Every ffmpeg run of this attempt shares one budget, so a file that decodes far slower
        // than its duration suggests cannot hold a worker for hours (the flat per-run timeout is 12 h).
        Duration budget = limits.timeBudget(info.durationSeconds());
        Ffmpeg budgeted = ffmpeg.withDeadline(Instant.now().plus(budget));
        try {
            encodeAndPublish(video, source, info, work, queuedAt, new CmafEncoder(budgeted, x264Preset), new Thumbnails(budgeted));
        } catch (FfmpegTimeoutException e) {
            log.warn("video {} exceeded its time budget of {}: {}", id, budget, e.getMessage());
            overBudget(id, "Transcoding took longer than the " + MediaLimits.readable(budget.toMillis() / 1000.0)
                    + " allowed for a video of this length and was stopped. The file decodes unusually slowly; "
                    + "export it again (for example as H.264 MP4) and upload that.");
        }
    }

    private void encodeAndPublish(Video video, Path source, MediaInfo info, Path work, Instant queuedAt,
                                  CmafEncoder encoder, Thumbnails thumbnails) throws IOException {
        String id = video.id();
        List<Rung> ladder = planner.plan(info);
        Set<String> published = videos.renditions(id).stream().map(Rendition::name).collect(Collectors.toSet());
        List<Rung> pending = ladder.stream().filter(r -> !published.contains(r.name())).toList();
        boolean audioPending = info.hasAudio() && !published.contains(Rendition.AUDIO);
        ProgressReporter progress = new ProgressReporter(videos, id);
        log.info("video {}: {}x{} {}s, ladder {}, {} rung(s) to encode", id, info.width(), info.height(),
                Math.round(info.durationSeconds()), ladder.stream().map(Rung::name).toList(), pending.size());

        if (published.stream().noneMatch(n -> !n.equals(Rendition.AUDIO))) {
            Rung first = pending.getFirst();
            Path out = work.resolve("first");
            CmafOutput encoded = encoder.encode(source, info, List.of(first), audioPending, out,
                    p -> progress.report(2 + p * (FIRST_RUNG_DONE - 2)));
            Path poster = thumbnails.poster(source, info, work.resolve(BlobKeys.POSTER));
            blobs.put(BlobKeys.poster(id), poster, "image/jpeg");
            if (!publish(video, info, ladder, encoded)) return;
            tx.inTransaction(() -> {
                videos.markReady(id);
                events.append(new DomainEvent.VideoPublished(id, video.ownerId(), video.privacy(), first.name()), Instant.now());
            });
            progress.report(FIRST_RUNG_DONE);
            Duration ttp = Duration.between(queuedAt, Instant.now());
            timeToPlayable.accept(ttp);
            log.info("video {} playable at {} after {} ms", id, first.name(), ttp.toMillis());
            pending = pending.subList(1, pending.size());
            audioPending = false;
        }

        if (!pending.isEmpty()) {
            Path out = work.resolve("rest");
            int start = progress.last();
            CmafOutput encoded = encoder.encode(source, info, pending, audioPending, out,
                    p -> progress.report(start + p * (LADDER_DONE - start)));
            if (!publish(video, info, ladder, encoded)) return;
            log.info("video {}: {} joined the ladder", id, pending.stream().map(Rung::name).toList());
        }
        progress.report(LADDER_DONE);

        if (blobs.stat(BlobKeys.storyboard(id)).isEmpty()) {
            var board = thumbnails.storyboard(source, info, work.resolve("storyboard"));
            for (Path sheet : board.sheets()) {
                blobs.put(BlobKeys.thumb(id, sheet.getFileName().toString()), sheet, "image/jpeg");
            }
            blobs.put(BlobKeys.storyboard(id), board.vtt(), "text/vtt");
        }
        tx.inTransaction(() -> {
            videos.updateStatus(id, VideoStatus.READY, 100, null);
            events.append(new DomainEvent.VideoProcessed(id, video.ownerId(), ladder.size()), Instant.now());
        });
        log.info("video {} fully transcoded", id);
    }

    /**
     * Stores the encoded files (segments before the playlists that name them), records the
     * renditions and rewrites the master playlist and the MPD over everything published so far.
     * Returns false when the video was deleted meanwhile; its files are then removed.
     */
    private boolean publish(Video video, MediaInfo info, List<Rung> ladder, CmafOutput encoded) throws IOException {
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
        writeManifests(id, info, ladder);
        return true;
    }

    private void writeManifests(String id, MediaInfo info, List<Rung> ladder) throws IOException {
        Set<String> published = videos.renditions(id).stream().map(Rendition::name).collect(Collectors.toSet());
        List<VideoRendition> video = new ArrayList<>();
        for (Rung rung : ladder) {
            if (published.contains(rung.name())) {
                MediaPlaylist playlist = readPlaylist(id, rung.name(), "index.m3u8");
                // Renditions published before I-frame playlists existed have none.
                Optional<MediaPlaylist> iframes = blobs.stat(BlobKeys.videoPrefix(id) + rung.name() + "/" + IFramePlaylist.FILE).isPresent()
                        ? Optional.of(readPlaylist(id, rung.name(), IFramePlaylist.FILE))
                        : Optional.empty();
                video.add(new VideoRendition(rung, info.frameRate(), playlist, timescale(id, rung.name(), playlist), iframes));
            }
        }
        Optional<AudioRendition> audio = Optional.empty();
        if (published.contains(Rendition.AUDIO)) {
            MediaPlaylist playlist = readPlaylist(id, Rendition.AUDIO, "index.m3u8");
            String language = AudioLanguage.fromSourceTag(info.audioLanguage()).orElse(defaultAudioLanguage);
            audio = Optional.of(AudioRendition.aacStereo(playlist, language, timescale(id, Rendition.AUDIO, playlist)));
        }
        blobs.put(BlobKeys.dashManifest(id), DashManifest.render(video, audio).getBytes(StandardCharsets.UTF_8), "application/dash+xml");
        blobs.put(BlobKeys.master(id), HlsMasterPlaylist.render(video, audio).getBytes(StandardCharsets.UTF_8),
                "application/vnd.apple.mpegurl");
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
