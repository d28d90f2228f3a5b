package org.kinora.core.blob;

import java.util.regex.Pattern;

/** The storage layout of ARCHITECTURE.md, in one place. */
public final class BlobKeys {
    /** What may follow {@code videos/{id}/} in a request: manifests, rung files, thumbnails. */
    private static final Pattern MEDIA_PATH = Pattern.compile(
            "master\\.m3u8|manifest\\.mpd"
                    + "|[a-z0-9]{1,16}/(index\\.m3u8|iframes\\.m3u8|init\\.mp4|seg_\\d{5}\\.m4s)"
                    + "|thumbs/(poster\\.jpg|sprite_\\d{1,4}\\.jpg|storyboard\\.vtt)");

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

    public static String original(String videoId) { return "originals/" + videoId + "/source"; }

    public static String videoPrefix(String videoId) { return "videos/" + videoId + "/"; }

    public static String master(String videoId) { return videoPrefix(videoId) + "master.m3u8"; }

    public static String dashManifest(String videoId) { return videoPrefix(videoId) + "manifest.mpd"; }

    public static String poster(String videoId) { return videoPrefix(videoId) + "thumbs/poster.jpg"; }

    public static String storyboard(String videoId) { return videoPrefix(videoId) + "thumbs/storyboard.vtt"; }

    /** A channel's avatar or banner: {@code channels/{channelId}/{avatar|banner}-{random}.jpg}. */
    public static String channelImage(String channelId, String file) { return "channels/" + channelId + "/" + file; }

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

    public static String contentType(String key) {
        if (key.endsWith(".m3u8")) return "application/vnd.apple.mpegurl";
        if (key.endsWith(".mpd")) return "application/dash+xml";
        if (key.endsWith("init.mp4")) return "video/mp4";
        if (key.endsWith(".m4s")) return "video/iso.segment";
        if (key.endsWith(".jpg")) return "image/jpeg";
        if (key.endsWith(".vtt")) return "text/vtt; charset=utf-8";
        return "application/octet-stream";
    }
}
