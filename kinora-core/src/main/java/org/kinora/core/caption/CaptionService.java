package org.kinora.core.caption;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.kinora.core.blob.BlobKeys;
import org.kinora.core.blob.BlobStore;
import org.kinora.core.common.Clock;
import org.kinora.core.common.ErrorKind;
import org.kinora.core.common.KinoraException;
import org.kinora.core.common.Transactions;
import org.kinora.core.events.DomainEvent;
import org.kinora.core.events.EventLog;
import org.kinora.core.video.Video;
import org.kinora.core.video.VideoService;

/**
 * Captions of a video: the owner uploads (or replaces) one file per language and deletes tracks;
 * anyone who may see the video lists and downloads them. Each track is stored as Kinora's own
 * WebVTT ({@link CaptionParser#toVtt}) with a one-segment HLS media playlist beside it, then the
 * manifests are rewritten to list every track.
 *
 * <p>Crash safety: files first, then the row, then the manifests. A crash before the row leaves
 * an unlisted file that the next upload of that language overwrites; a crash before the manifests
 * leaves them one change behind until the next caption change or processing run republishes them.
 * A {@code video.updated} event makes search re-read the video (its caption text is indexed).
 */
public final class CaptionService {
    public static final int MAX_TRACKS = 50;
    private static final int MAX_LABEL = 60;

    private final VideoService videos;
    private final CaptionRepository captions;
    private final BlobStore blobs;
    private final CaptionManifests manifests;
    private final Transactions tx;
    private final EventLog events;
    private final Clock clock;

    public CaptionService(VideoService videos, CaptionRepository captions, BlobStore blobs, CaptionManifests manifests,
                          Transactions tx, EventLog events, Clock clock) {
        this.videos = videos;
        this.captions = captions;
        this.blobs = blobs;
        this.manifests = manifests;
        this.tx = tx;
        this.events = events;
        this.clock = clock;
    }

    public List<CaptionTrack> list(String videoId, String viewerId) {
        videos.visibleVideo(videoId, viewerId);
        return captions.list(videoId);
    }

    /** Parses, stores and lists the file for {@code language}, replacing a previous one; returns the track. */
    public CaptionTrack upload(String videoId, String userId, String language, String label, byte[] file) throws IOException {
        Video video = ownedVideo(videoId, userId);
        String lang = CaptionLanguage.normalise(language);
        String name = label == null || label.isBlank() ? CaptionLanguage.defaultLabel(lang) : label.strip();
        if (name.length() > MAX_LABEL || name.chars().anyMatch(Character::isISOControl)) {
            throw KinoraException.badRequest("invalid_label", "label must be at most " + MAX_LABEL + " characters of text.");
        }
        if (file.length == 0) throw KinoraException.badRequest("invalid_captions", "The caption file is empty.");
        List<Cue> cues = CaptionParser.parse(file);
        if (cues.isEmpty()) throw KinoraException.badRequest("invalid_captions", "The caption file has no cues with text.");
        if (captions.find(videoId, lang).isEmpty() && captions.list(videoId).size() >= MAX_TRACKS) {
            throw KinoraException.conflict("too_many_captions", "A video may have at most " + MAX_TRACKS + " caption languages.");
        }
        double duration = duration(video, cues);
        String stem = CaptionLanguage.fileStem(lang);
        blobs.put(BlobKeys.captionFile(videoId, stem), CaptionParser.toVtt(cues).getBytes(StandardCharsets.UTF_8), "text/vtt");
        blobs.put(BlobKeys.captionPlaylist(videoId, stem), mediaPlaylist(stem, duration).getBytes(StandardCharsets.UTF_8),
                "application/vnd.apple.mpegurl");
        CaptionTrack track = new CaptionTrack(videoId, lang, name, cues.size(), clock.now());
        tx.inTransaction(() -> {
            captions.upsert(track, CaptionParser.searchText(cues));
            events.append(new DomainEvent.VideoUpdated(videoId, userId, video.privacy(), video.privacy()), clock.now());
        });
        republish(video);
        return track;
    }

    public void delete(String videoId, String userId, String language) throws IOException {
        Video video = ownedVideo(videoId, userId);
        String lang = CaptionLanguage.normalise(language);
        boolean[] existed = new boolean[1];
        tx.inTransaction(() -> {
            existed[0] = captions.delete(videoId, lang);
            if (existed[0]) events.append(new DomainEvent.VideoUpdated(videoId, userId, video.privacy(), video.privacy()), clock.now());
        });
        if (!existed[0]) throw KinoraException.notFound("Captions in " + lang);
        republish(video);
        String stem = CaptionLanguage.fileStem(lang);
        blobs.delete(BlobKeys.captionPlaylist(videoId, stem));
        blobs.delete(BlobKeys.captionFile(videoId, stem));
    }

    /** The stored WebVTT of one track, for download. */
    public InputStream download(String videoId, String viewerId, String language) throws IOException {
        videos.visibleVideo(videoId, viewerId);
        String lang = CaptionLanguage.normalise(language);
        if (captions.find(videoId, lang).isEmpty()) throw KinoraException.notFound("Captions in " + lang);
        return blobs.open(BlobKeys.captionFile(videoId, CaptionLanguage.fileStem(lang)));
    }

    /** Lists the current tracks in the video's manifests (after processing, or any caption change). */
    public void republish(String videoId) throws IOException {
        var video = videos.find(videoId).filter(v -> !v.isDeleted());
        if (video.isPresent()) republish(video.get());
    }

    /**
     * Under the video's manifest lock (see {@link CaptionRepository#listLockingManifests}), so a
     * rung rewriting the master at the same moment can neither drop these tracks nor be dropped.
     */
    private void republish(Video video) throws IOException {
        try {
            tx.inTransaction(() -> {
                try {
                    publishLocked(video, captions.listLockingManifests(video.id()));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private void publishLocked(Video video, List<CaptionTrack> tracks) throws IOException {
        if (video.durationSeconds() != null && video.durationSeconds() > 0) {
            // Tracks uploaded before the duration was known cover their last cue; now the whole video.
            for (CaptionTrack t : tracks) {
                String stem = CaptionLanguage.fileStem(t.language());
                blobs.put(BlobKeys.captionPlaylist(video.id(), stem),
                        mediaPlaylist(stem, video.durationSeconds()).getBytes(StandardCharsets.UTF_8), "application/vnd.apple.mpegurl");
            }
        }
        manifests.publish(video.id(), tracks, video.durationSeconds() == null ? 0 : video.durationSeconds());
    }

    /**
     * The subtitle playlist's one segment covers the whole video (hls.js, Safari and ffmpeg accept
     * a single WebVTT segment); before the duration is known, the last cue's end stands in.
     */
    private static double duration(Video video, List<Cue> cues) {
        double lastCue = cues.stream().mapToDouble(Cue::end).max().orElse(0);
        return video.durationSeconds() != null && video.durationSeconds() > 0 ? video.durationSeconds() : lastCue;
    }

    static String mediaPlaylist(String stem, double duration) {
        return "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:" + (long) Math.ceil(Math.max(duration, 1)) + "\n"
                + "#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n"
                + String.format(java.util.Locale.ROOT, "#EXTINF:%.3f,\n", Math.max(duration, 0.001))
                + stem + ".vtt\n#EXT-X-ENDLIST\n";
    }

    private Video ownedVideo(String id, String userId) {
        Video video = videos.visibleVideo(id, userId);
        if (!video.isOwnedBy(userId)) throw new KinoraException(ErrorKind.FORBIDDEN, "forbidden", "Only the video's owner may change its captions.");
        return video;
    }
}
