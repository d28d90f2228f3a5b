package org.kinora.server.thumbnails;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.kinora.core.blob.BlobKeys;
import org.kinora.core.blob.BlobStore;
import org.kinora.core.channel.ImageProcessor;
import org.kinora.core.common.KinoraException;
import org.kinora.core.video.Video;
import org.kinora.core.video.VideoRepository;
import org.kinora.core.video.VideoService;
import org.kinora.core.video.VideoStatus;
import org.kinora.media.ffmpeg.FfmpegTimeoutException;
import org.kinora.media.ffmpeg.MediaProbe;
import org.kinora.media.ffmpeg.UnplayableMediaException;
import org.kinora.media.packaging.ThumbnailFrames;

/**
 * A video's thumbnail chosen by its owner: an uploaded picture (decoded with the same limits as
 * channel pictures, re-encoded, covering 1280x720: resized and cropped to 16:9), or a frame of
 * the original at any moment, or one of three suggested frames. The result is the video's
 * poster; a copy ({@link BlobKeys#chosenThumbnail}) lets {@link #reapply} put it back after
 * processing wrote its own poster.
 */
final class ThumbnailService {
    static final int WIDTH = 1280;
    static final int HEIGHT = 720;
    static final int SUGGESTIONS = 3;

    private final VideoService videos;
    private final VideoRepository repository;
    private final BlobStore blobs;
    private final ImageProcessor images;
    private final MediaProbe probe;
    private final ThumbnailFrames frames;

    ThumbnailService(VideoService videos, VideoRepository repository, BlobStore blobs, ImageProcessor images, MediaProbe probe,
                     ThumbnailFrames frames) {
        this.videos = videos;
        this.repository = repository;
        this.blobs = blobs;
        this.images = images;
        this.probe = probe;
        this.frames = frames;
    }

    record Suggestion(double at, double lumaMean, double sharpness, String path) {}

    void upload(String videoId, String userId, byte[] picture) throws IOException {
        owned(videoId, userId);
        store(videoId, images.coverJpeg(picture, WIDTH, HEIGHT));
    }

    /** The frame at {@code at} seconds of the original becomes the thumbnail; returns the time used. */
    double pickFrame(String videoId, String userId, double at) throws IOException {
        Video video = owned(videoId, userId);
        if (!Double.isFinite(at) || at < 0) throw KinoraException.badRequest("invalid_time", "at must be a time in seconds from 0.");
        if (video.durationSeconds() != null && at > video.durationSeconds()) {
            throw KinoraException.badRequest("invalid_time", "at is past the end of the video (" + video.durationSeconds() + " s).");
        }
        Path work = Files.createTempDirectory("kinora-thumb-");
        try {
            Path source = blobs.localFile(BlobKeys.original(videoId), work);
            ThumbnailFrames.Frame frame;
            try {
                frame = frames.frameAt(source, probe.probe(source), at, work);
            } catch (UnplayableMediaException | FfmpegTimeoutException e) {
                throw noFrames(e);
            }
            store(videoId, images.coverJpeg(Files.readAllBytes(frame.jpeg()), WIDTH, HEIGHT));
            return frame.at();
        } finally {
            deleteTree(work);
        }
    }

    /** Three frames that are neither black nor blurred, stored for Studio to show; their times and measures. */
    List<Suggestion> suggest(String videoId, String userId) throws IOException {
        owned(videoId, userId);
        Path work = Files.createTempDirectory("kinora-thumb-");
        try {
            Path source = blobs.localFile(BlobKeys.original(videoId), work);
            List<ThumbnailFrames.Frame> suggested;
            try {
                suggested = frames.suggest(source, probe.probe(source), SUGGESTIONS, work);
            } catch (UnplayableMediaException | FfmpegTimeoutException e) {
                throw noFrames(e);
            }
            List<Suggestion> out = new ArrayList<>();
            int n = 1;
            for (ThumbnailFrames.Frame f : suggested) {
                String path = BlobKeys.suggestedFramePath(n++);
                blobs.put(BlobKeys.videoPrefix(videoId) + path, images.coverJpeg(Files.readAllBytes(f.jpeg()), 640, 360), "image/jpeg");
                out.add(new Suggestion(f.at(), Math.round(f.lumaMean() * 10) / 10.0, Math.round(f.laplacianVariance() * 10) / 10.0, path));
            }
            return out;
        } finally {
            deleteTree(work);
        }
    }

    /** After processing wrote its poster: the creator's choice, if there is one, is the poster again. */
    void reapply(String videoId) throws IOException {
        if (blobs.stat(BlobKeys.chosenThumbnail(videoId)).isEmpty()) return;
        try (InputStream in = blobs.open(BlobKeys.chosenThumbnail(videoId))) {
            blobs.put(BlobKeys.poster(videoId), in.readAllBytes(), "image/jpeg");
        }
        repository.markPicturesChanged(videoId);
    }

    private void store(String videoId, byte[] jpeg) throws IOException {
        // The copy first: a crash between the two leaves a choice that the next processing run or
        // reapply still honours.
        blobs.put(BlobKeys.chosenThumbnail(videoId), jpeg, "image/jpeg");
        blobs.put(BlobKeys.poster(videoId), jpeg, "image/jpeg");
        // Then the poster's URL moves on (its revision is the video's updated_at). In this order a
        // new URL never names the old picture, so it can be cached for good.
        repository.markPicturesChanged(videoId);
    }

    /** The original is outside this server's limits (lowered since it was processed) or too slow to decode: a 409 that says so, not a 500. */
    private static KinoraException noFrames(RuntimeException e) {
        return KinoraException.conflict("no_frames", "No frame can be taken from this video's original: " + e.getMessage());
    }

    private Video owned(String videoId, String userId) {
        Video video = videos.visibleVideo(videoId, userId);
        if (!video.isOwnedBy(userId)) throw KinoraException.forbidden("Only the video's owner may change its thumbnail.");
        if (video.status() == VideoStatus.FAILED) {
            throw KinoraException.conflict("video_failed", "This video could not be processed, so it has no frames to show.");
        }
        return video;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
