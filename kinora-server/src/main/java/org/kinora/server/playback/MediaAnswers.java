package org.kinora.server.playback;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPOutputStream;
import org.kinora.core.blob.BlobInfo;
import org.kinora.core.blob.BlobKeys;
import org.kinora.core.blob.BlobStore;
import org.kinora.core.common.KinoraException;
import org.kinora.core.video.Video;

/**
 * The media origin's answer to a request already allowed (token, video state and every other
 * check done by the caller): redirect to the store, 404, 304, a range, or the whole file, with
 * the headers a CDN and a player need. Shared by both listeners (see {@link MediaAnswer}).
 */
final class MediaAnswers {
    private final BlobStore blobs;
    private final MediaRedirects redirects;

    MediaAnswers(BlobStore blobs, MediaRedirects redirects) {
        this.blobs = blobs;
        this.redirects = redirects;
    }

    /**
     * @param path the file's path under the video (already checked by {@link BlobKeys#isPublishedMediaPath})
     * @param header the request's headers by name (null when absent)
     */
    MediaAnswer answer(boolean head, Video video, String path, UnaryOperator<String> header) throws IOException {
        String key = BlobKeys.videoPrefix(video.id()) + BlobKeys.storedPath(path);
        Map<String, String> h = new LinkedHashMap<>();
        if (!head) {
            Optional<MediaRedirects.Redirect> redirect = redirects.redirectFor(key);
            if (redirect.isPresent()) {
                // Access was checked before; the store serves the bytes. The redirect is as private as the URL.
                h.put("Cache-Control", "private, max-age=" + redirect.get().cacheSeconds());
                h.put("Location", redirect.get().url().toString());
                return new MediaAnswer(302, h, new MediaAnswer.None());
            }
        }
        Optional<BlobInfo> stat = blobs.stat(key);
        if (stat.isEmpty()) throw KinoraException.notFound("Media file " + path);
        BlobInfo blob = stat.get();

        boolean text = BlobKeys.isText(key);
        // Text in UTF-8, said as Jetty says it (the main listener's bytes are the reference); binary types get no charset.
        String type = BlobKeys.contentType(key);
        h.put("Content-Type", text ? type.replaceFirst(";.*$", "").strip() + ";charset=utf-8" : type);
        boolean immutable = BlobKeys.isImmutableMediaPath(path);
        h.put("Cache-Control", MediaCaching.cacheControl(path, video));
        h.put("Accept-Ranges", "bytes");
        h.put("Last-Modified", org.kinora.server.http.HttpDates.format(blob.lastModified()));
        // Playlists and MPDs are repetitive text that gzip shrinks several times over. Ranges are served from the plain bytes, so a
        // range request is never compressed; caches must keep the two apart (Vary).
        boolean gzip = text && header.apply("Range") == null && AcceptEncoding.acceptsGzip(header.apply("Accept-Encoding"));
        if (text) h.put("Vary", "Accept-Encoding");
        // The gzipped bytes differ from the stored ones but mean the same: a weak ETag (as nginx does).
        String etag = gzip ? "W/" + blob.etag() : blob.etag();
        h.put("ETag", etag);
        if (Preconditions.notModified(header.apply("If-None-Match"), header.apply("If-Modified-Since"), etag, blob.lastModified())) {
            return new MediaAnswer(304, h, new MediaAnswer.None());
        }
        if (gzip) {
            byte[] compressed = gzip(key, blob.size());
            h.put("Content-Encoding", "gzip");
            h.put("Content-Length", Long.toString(compressed.length));
            return new MediaAnswer(200, h, head ? new MediaAnswer.None() : new MediaAnswer.Bytes(compressed));
        }
        Optional<ByteRange> range;
        try {
            range = ByteRange.parse(header.apply("Range"), blob.size());
        } catch (KinoraException unsatisfiable) {
            return new MediaAnswer(416, Map.of("Content-Range", "bytes */" + blob.size()), new MediaAnswer.Refused(unsatisfiable));
        }
        long offset = range.map(ByteRange::start).orElse(0L);
        long length = range.map(ByteRange::length).orElse(blob.size());
        int status = 200;
        if (range.isPresent()) {
            status = 206;
            h.put("Content-Range", "bytes " + offset + "-" + (offset + length - 1) + "/" + blob.size());
        }
        h.put("Content-Length", Long.toString(length));
        if (head) return new MediaAnswer(status, h, new MediaAnswer.None());
        // Segments and init files only: a rung's playlist grows while it is encoded, so it always takes the stream path.
        if (immutable && !path.endsWith(".m3u8")) {
            Optional<java.nio.file.Path> file = blobs.localPath(key);
            if (file.isPresent()) return new MediaAnswer(status, h, new MediaAnswer.LocalFile(file.get(), blob, offset, length));
        }
        return new MediaAnswer(status, h, new MediaAnswer.Stream(key, offset, length));
    }

    /** Manifests and WebVTT are small (a 3-hour media playlist is ~100 kB), so they are compressed in memory. */
    private byte[] gzip(String key, long size) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(size, 1 << 20) / 4 + 64);
        try (InputStream in = blobs.open(key, 0, size); GZIPOutputStream zip = new GZIPOutputStream(out)) {
            in.transferTo(zip);
        }
        return out.toByteArray();
    }
}
