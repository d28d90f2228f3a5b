package org.kinora.server.playback;

import java.util.Optional;
import org.kinora.core.blob.BlobKeys;
import org.kinora.core.video.Privacy;
import org.kinora.core.video.Video;
import org.kinora.core.video.VideoStatus;

/** How long caches (CDN tiers, browsers) may keep each of a video's media files, and why. */
public final class MediaCaching {
    /** Segments and init files never change once written. */
    public static final String IMMUTABLE = "max-age=31536000, immutable";
    /**
     * master.m3u8, manifest.mpd and caption files of a processed video: a minute, not a day. They
     * still change after processing: adding, replacing or deleting a caption rewrites the master and
     * the MPD (their SUBTITLES / text AdaptationSets) and the caption's files under the same URLs
     * (StoredCaptionManifests), so a day's max-age made caches serve the old caption list for a day.
     * A revision in the playback URL (as for the poster) would allow a year, but needs a stored
     * revision per video; a minute costs a cache one conditional request (a 304) per object a
     * minute, and a caption edit is visible everywhere within 60 s + the 30 s stale-while-revalidate.
     */
    static final int FINISHED_MANIFEST_SECONDS = 60;

    private MediaCaching() {}

    /**
     * The {@code Cache-Control} of a video's stored file served as it is (and of the protected copies' manifests,
     * which are functions of these files: ProtectedMedia).
     *
     * @param path the file's path under the video
     */
    public static String cacheControl(String path, Video video) {
        boolean immutablePath = BlobKeys.isImmutableMediaPath(path);
        String scope = video.privacy() == Privacy.PRIVATE ? "private" : "public";
        // A rung's playlist grows while its rung is encoded (an EVENT playlist, see TranscodeJobHandler),
        // so playlists are immutable only once the whole video is processed; segments always are.
        boolean growingPlaylist = path.endsWith(".m3u8") && !finishedProcessing(video);
        if (immutablePath && !growingPlaylist) return scope + ", " + IMMUTABLE;
        // The poster under its revision's URL is cached for good: a changed poster gets a new URL
        // (Video.posterRevision). An older revision's URL, or the plain poster.jpg of old links, may
        // name a picture that changed, so those are kept briefly.
        Optional<String> revision = BlobKeys.posterRevision(path);
        if (revision.isPresent()) {
            return revision.get().equals(video.posterRevision()) ? scope + ", " + IMMUTABLE : scope + ", max-age=60";
        }
        if (BlobKeys.isThumbnailPath(path)) return scope + ", max-age=3600";
        // master.m3u8 and manifest.mpd gain renditions while the ladder finishes (2 s); after that they
        // change only when captions do (FINISHED_MANIFEST_SECONDS says why a minute).
        // Caches may answer from a stale manifest while they fetch the new one, and while the origin is
        // unreachable (nginx honours both): viewers starting a popular video never wait on the origin.
        return scope + (finishedProcessing(video) ? ", max-age=" + FINISHED_MANIFEST_SECONDS : ", max-age=2")
                + ", stale-while-revalidate=30, stale-if-error=86400";
    }

    /** READY at 100 %: every rung is published (or the ladder gave up on the rest, see TranscodeJobHandler.onDeadLetter). */
    private static boolean finishedProcessing(Video video) {
        return video.status() == VideoStatus.READY && video.progress() == 100;
    }
}
