package org.kinora.core.blob;

import java.util.regex.Pattern;

/**
 * The storage layout (docs/ARCHITECTURE.md), in one place: every blob key and every file name of a
 * video. The encoder writes these names, the manifests point at them, the pipeline stores them,
 * the origin serves and classifies them and the API links to them, all by asking here.
 *
 * <pre>
 * originals/{videoId}/source             the upload, kept
 * videos/{videoId}/master.m3u8           HLS master
 * videos/{videoId}/manifest.mpd          DASH
 * videos/{videoId}/{rung}/init.mp4       CMAF init segment
 * videos/{videoId}/{rung}/seg_00001.m4s  CMAF media segments
 * videos/{videoId}/{rung}/index.m3u8     HLS media playlist
 * videos/{videoId}/{rung}/iframes.m3u8   HLS I-frame playlist (video rungs)
 * videos/{videoId}/thumbs/poster.jpg, sprite_0.jpg, storyboard.vtt
 * videos/{videoId}/captions/{lang}.vtt   caption track (Kinora's own WebVTT), and
 * videos/{videoId}/captions/{lang}.m3u8  its one-segment HLS subtitle playlist
 * </pre>
 *
 * Paths relative to a video's folder ({@code videos/{videoId}/}) are what manifests and playback
 * URLs name; keys are {@link #videoPrefix} followed by such a path.
 */
public final class BlobKeys {
    /** The HLS master playlist, at the top of the video's folder. */
    public static final String MASTER_PLAYLIST = "master.m3u8";
    /** The DASH manifest, beside the master playlist. */
    public static final String DASH_MANIFEST = "manifest.mpd";
    /** In each rung's folder: its HLS media playlist, CMAF init segment and media segments. */
    public static final String RUNG_PLAYLIST = "index.m3u8";
    public static final String INIT_SEGMENT = "init.mp4";
    /** In each video rung's folder: its I-frame playlist (byte ranges of each segment's keyframe). */
    public static final String IFRAME_PLAYLIST = "iframes.m3u8";
    /** Media segment names as printf (and ffmpeg's {@code -hls_segment_filename}) writes them, from 1. */
    public static final String SEGMENT_PATTERN = "seg_%05d.m4s";
    /** The names {@link #SEGMENT_PATTERN} writes, the number in group 1. */
    private static final Pattern SEGMENT_FILE = Pattern.compile("seg_(\\d{5})\\.m4s");
    /** The files of a rung's folder, as a regular expression (one group): playlists, init segment, media segments. */
    public static final String RUNG_FILE_NAMES = "(index\\.m3u8|iframes\\.m3u8|init\\.mp4|seg_\\d{5}\\.m4s)";

    /** Whether a file name (no folder) is a media segment's, as {@link #SEGMENT_PATTERN} writes it. */
    public static boolean isSegmentFile(String name) { return name != null && SEGMENT_FILE.matcher(name).matches(); }

    /** The number of a media segment's file name (1 for {@code seg_00001.m4s}); refuses any other name. */
    public static int segmentNumber(String name) {
        var m = SEGMENT_FILE.matcher(name);
        if (!m.matches()) throw new IllegalArgumentException("not a media segment: " + name);
        return Integer.parseInt(m.group(1));
    }

    /** The same names as a DASH SegmentTemplate spells them. */
    public static final String DASH_SEGMENT_TEMPLATE = "seg_$Number%05d$.m4s";
    /** The thumbnails' folder, and its files. */
    public static final String THUMBS = "thumbs/";
    public static final String POSTER = "poster.jpg";
    public static final String STORYBOARD = "storyboard.vtt";
    /** Storyboard sprite sheets as printf (and ffmpeg's image2 muxer) writes them, from 0. */
    public static final String SPRITE_PATTERN = "sprite_%d.jpg";

    // --- Captions (issue 19): one WebVTT file and one HLS subtitle playlist per language. ---
    /** The captions' folder below a video's folder. */
    public static final String CAPTIONS = "captions/";
    /** A caption file or playlist: a lower-case language tag ("en", "pt-br", "es-419"), .vtt or .m3u8. */
    private static final String CAPTION_PATH = "captions/[a-z]{2,3}(-[a-z]{2}|-\\d{3})?\\.(vtt|m3u8)";

    /** Relative to the video's folder: the caption track's WebVTT file ({@code stem} is the lower-case tag). */
    public static String captionFilePath(String stem) { return CAPTIONS + stem + ".vtt"; }

    /** Relative to the video's folder: the caption track's HLS media playlist, as the master names it. */
    public static String captionPlaylistPath(String stem) { return CAPTIONS + stem + ".m3u8"; }

    public static String captionFile(String videoId, String stem) { return videoPrefix(videoId) + captionFilePath(stem); }

    public static String captionPlaylist(String videoId, String stem) { return videoPrefix(videoId) + captionPlaylistPath(stem); }

    public static boolean isCaptionPath(String relativePath) { return relativePath.startsWith(CAPTIONS); }

    // --- Chosen thumbnails (issue 19): the creator's picture or frame, kept beside the poster it
    // becomes, so that it can be put back after processing writes its own poster; and the
    // suggested frames Studio shows (suggest_1.jpg .. suggest_3.jpg). ---
    public static final String CHOSEN_THUMBNAIL = "chosen.jpg";

    public static String chosenThumbnail(String videoId) { return thumb(videoId, CHOSEN_THUMBNAIL); }

    /** Relative to the video's folder: suggested frame {@code n} (1..3). */
    public static String suggestedFramePath(int n) { return THUMBS + "suggest_" + n + ".jpg"; }

    /** What may follow {@code videos/{id}/} in a request: manifests, rung files, thumbnails. */
    private static final Pattern MEDIA_PATH = Pattern.compile(
            "master\\.m3u8|manifest\\.mpd"
                    + "|[a-z0-9]{1,16}(-[a-z0-9]{1,8})?/" + RUNG_FILE_NAMES
                    + "|thumbs/(poster\\.jpg|poster\\.[0-9a-z]{1,16}\\.jpg|sprite_\\d{1,4}\\.jpg|storyboard\\.vtt|suggest_[1-3]\\.jpg)"
                    + "|" + CAPTION_PATH);
    /** Files that never change once stored: a rung's segments, init segment and (complete, VOD) playlist. */
    private static final Pattern IMMUTABLE_PATH = Pattern.compile("[a-z0-9]{1,16}(-[a-z0-9]{1,8})?/" + RUNG_FILE_NAMES);

    private BlobKeys() {}

    /**
     * Where an adapter keeps the bytes staged for {@code key} while a resumable upload is under way
     * (S3 multipart state, the local partial file). One prefix, so that a bucket lifecycle rule
     * can sweep what a crash left behind.
     */
    public static String staging(String key) { return "uploads/" + key; }

    /**
     * Refuses keys that are not plain relative '/'-separated paths: empty, absolute, with empty,
     * {@code .} or {@code ..} segments, backslashes or control characters. Keys are built by this
     * class, so a refusal is a bug, never user input.
     */
    public static String requireValid(String key) {
        if (key == null || key.isEmpty() || key.startsWith("/") || key.endsWith("/") || key.length() > 900) {
            throw new IllegalArgumentException("invalid blob key: " + key);
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("invalid blob key: " + key);
            }
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') throw new IllegalArgumentException("invalid blob key: " + key);
        }
        return key;
    }

    /** Everything kept of a video's upload. */
    public static String originalsPrefix(String videoId) { return "originals/" + videoId + "/"; }

    public static String original(String videoId) { return originalsPrefix(videoId) + "source"; }

    /**
     * A chunked transcode's working records (issue 15), beside the original and private like it:
     * the chunk plan, and per rung and chunk the chunk's playlist, stored once its segments are.
     */
    public static String chunkPlan(String videoId) { return originalsPrefix(videoId) + "chunks/plan.txt"; }

    /** Present when a chunked video's first pass copies the source: its chunks then encode every rung, the lowest too. */
    public static String chunkedSourceCopy(String videoId) { return originalsPrefix(videoId) + "chunks/source-copy"; }

    /** A chunk's playlist ({@code file} is {@link #RUNG_PLAYLIST} or {@link #IFRAME_PLAYLIST}) of one rung; see {@link #chunkPlan}. */
    public static String chunkPlaylist(String videoId, String rung, int chunk, String file) {
        return originalsPrefix(videoId) + "chunks/" + rung + "/" + String.format(java.util.Locale.ROOT, "%05d-", chunk) + file;
    }

    /** Everything published of a video: manifests, rungs, thumbnails. */
    public static String videoPrefix(String videoId) { return "videos/" + videoId + "/"; }

    public static String master(String videoId) { return videoPrefix(videoId) + MASTER_PLAYLIST; }

    public static String dashManifest(String videoId) { return videoPrefix(videoId) + DASH_MANIFEST; }

    public static String poster(String videoId) { return videoPrefix(videoId) + posterPath(); }

    public static String storyboard(String videoId) { return videoPrefix(videoId) + storyboardPath(); }

    /** A file of the thumbnails' folder ({@link #sprite} sheets, poster, storyboard). */
    public static String thumb(String videoId, String file) { return videoPrefix(videoId) + THUMBS + file; }

    public static String rungPlaylist(String videoId, String rung) { return videoPrefix(videoId) + rungPlaylistPath(rung); }

    /** The name of storyboard sprite sheet {@code index} (see {@link #SPRITE_PATTERN}). */
    public static String sprite(int index) { return String.format(java.util.Locale.ROOT, SPRITE_PATTERN, index); }

    /** Relative to the video's folder, as the master playlist names it. */
    public static String rungPlaylistPath(String rung) { return rung + "/" + RUNG_PLAYLIST; }

    /** {@code file} (one of the names above) in the rung's folder, relative to the video's folder. */
    public static String rungFile(String rung, String file) { return rung + "/" + file; }

    /** Relative to the video's folder, as the DASH manifest names it. */
    public static String initSegmentPath(String rung) { return rung + "/" + INIT_SEGMENT; }

    /** Relative to the video's folder: the DASH SegmentTemplate of a rung's media segments. */
    public static String segmentTemplatePath(String rung) { return rung + "/" + DASH_SEGMENT_TEMPLATE; }

    public static String posterPath() { return THUMBS + POSTER; }

    private static final Pattern VERSIONED_POSTER = Pattern.compile("thumbs/poster\\.([0-9a-z]{1,16})\\.jpg");

    /**
     * The poster's URL path with its revision in it, {@code thumbs/poster.{revision}.jpg}: a
     * changed poster gets a new URL, so the URL can be cached for good (browsers, nginx and CDN
     * caches key by path) and a new thumbnail shows at once. The file stored is still
     * {@link #posterPath()} ({@link #storedPath}).
     */
    public static String posterPath(String revision) {
        if (!revision.matches("[0-9a-z]{1,16}")) throw new IllegalArgumentException("invalid poster revision: " + revision);
        return THUMBS + "poster." + revision + ".jpg";
    }

    /** The revision a versioned poster path names, or empty for any other path. */
    public static java.util.Optional<String> posterRevision(String relativePath) {
        if (!relativePath.startsWith("thumbs/poster.")) return java.util.Optional.empty(); // every media request asks: no regex for a segment
        var m = VERSIONED_POSTER.matcher(relativePath);
        return m.matches() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
    }

    /** The stored file a published path names: a versioned poster path is the poster; any other path itself. */
    public static String storedPath(String relativePath) {
        return posterRevision(relativePath).isPresent() ? posterPath() : relativePath;
    }

    public static String storyboardPath() { return THUMBS + STORYBOARD; }

    /** A channel's avatar or banner: {@code channels/{channelId}/{avatar|banner}-{random}.jpg}. */
    public static String channelImage(String channelId, String file) { return "channels/" + channelId + "/" + file; }

    /** A live's own thumbnail (set before it starts): {@code lives/{liveId}/thumb-{random}.jpg}. */
    public static String liveThumbnail(String liveId, String file) { return livePrefix(liveId) + file; }

    private static final Pattern LIVE_THUMBNAIL = Pattern.compile("thumb-[A-Za-z0-9_-]{8,32}\\.jpg");

    public static boolean isLiveThumbnailFile(String file) {
        return file != null && LIVE_THUMBNAIL.matcher(file).matches();
    }

    /** Everything a live keeps in the blob store: its thumbnail and its DVR segments. */
    public static String livePrefix(String liveId) { return "lives/" + liveId + "/"; }

    /** A live rendition's init segment, spilled for the DVR window: {@code lives/{liveId}/dvr/{rung}/init.mp4}. */
    public static String liveDvrInit(String liveId, String rung) { return livePrefix(liveId) + "dvr/" + rung + "/" + INIT_SEGMENT; }

    /** A live segment spilled for the DVR window beyond the in-memory edge: {@code lives/{liveId}/dvr/{rung}/s{msn}.m4s}. */
    public static String liveDvrSegment(String liveId, String rung, int msn) { return livePrefix(liveId) + "dvr/" + rung + "/s" + msn + ".m4s"; }

    /** The DVR segments of a live (deleted once its replay no longer needs them). */
    public static String liveDvrPrefix(String liveId) { return livePrefix(liveId) + "dvr/"; }

    private static final Pattern CHANNEL_IMAGE = Pattern.compile("(avatar|banner)-[A-Za-z0-9_-]{8,32}\\.jpg");

    public static boolean isChannelImageFile(String file) {
        return file != null && CHANNEL_IMAGE.matcher(file).matches();
    }

    /**
     * Whether a requested path below a video's folder is one we publish. Anything else —
     * {@code ..}, absolute paths, encoded separators, unknown files — is rejected before any
     * storage is touched.
     */
    public static boolean isPublishedMediaPath(String relativePath) {
        return relativePath != null && MEDIA_PATH.matcher(relativePath).matches();
    }

    /**
     * Whether a published path (below a video's folder) names a file that never changes once
     * stored: a rung's segments and playlist. The master playlist and the manifest are rewritten
     * as rungs join the ladder; thumbnails may be made again.
     */
    public static boolean isImmutableMediaPath(String relativePath) {
        return IMMUTABLE_PATH.matcher(relativePath).matches();
    }

    public static boolean isThumbnailPath(String relativePath) {
        return relativePath.startsWith(THUMBS);
    }

    /** Whether the file is text (playlists, manifests, WebVTT), served with a charset. */
    public static boolean isText(String key) {
        return key.endsWith(".m3u8") || key.endsWith(".mpd") || key.endsWith(".vtt");
    }

    public static String contentType(String key) {
        if (key.endsWith(".m3u8")) return "application/vnd.apple.mpegurl";
        if (key.endsWith(".mpd")) return "application/dash+xml";
        if (key.endsWith("init.mp4")) return "video/mp4";
        if (key.endsWith(".m4s")) return "video/iso.segment";
        if (key.endsWith(".jpg")) return "image/jpeg";
        if (key.endsWith(".vtt")) return "text/vtt; charset=utf-8";
        return "application/octet-stream";
    }

    // --- tus concatenation (issue 13) ---

    /**
     * The bytes of a partial tus upload (one piece of a file sent in parallel): kept until a final
     * upload assembles the pieces into a video's original, or the piece expires. Not under
     * {@code originals/}, because a partial upload belongs to no video.
     */
    public static String partialUpload(String uploadId) { return "partials/" + uploadId + "/part"; }
}
