package org.kinora.server.playback;

import static org.kinora.server.http.Doc.doc;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.eclipse.jetty.server.HttpOutput;
import org.kinora.core.blob.BlobInfo;
import org.kinora.core.blob.BlobKeys;
import org.kinora.core.blob.BlobStore;
import org.kinora.core.common.KinoraException;
import org.kinora.core.video.Privacy;
import org.kinora.core.video.Video;
import org.kinora.core.video.VideoService;
import org.kinora.core.video.VideoStatus;
import org.kinora.server.http.Api;
import org.kinora.server.http.Routes;

/**
 * The media origin: {@code GET|HEAD /media/{token}/{videoId}/{path}} serves manifests, segments
 * and thumbnails from the blob store with the headers a CDN and a player need. Every request
 * checks the token and the video's state (see {@link LastKnownVideos}: read at most once a second,
 * dropped at once on a change), so a deleted or newly private video stops serving at once.
 */
public final class OriginRoutes implements Routes {
    /** Segments and init files never change once written. */
    private static final String IMMUTABLE = "max-age=31536000, immutable";
    private static final int FINISHED_MANIFEST_SECONDS = 86_400;

    private final BlobStore blobs;
    private final VideoService videos;
    private final PlaybackTokens tokens;
    private final MediaRedirects redirects;
    private final LastKnownVideos lastKnown;
    /** Encrypted copies of protected videos (issue 17, docs/content-protection.md). */
    private final org.kinora.server.protection.ProtectedMedia protectedMedia;
    private final MappedMediaFiles mapped = new MappedMediaFiles(4096);

    public OriginRoutes(BlobStore blobs, VideoService videos, PlaybackTokens tokens, MediaRedirects redirects,
                        java.time.Duration offlineMaxAge, org.kinora.core.common.Clock clock,
                        org.kinora.core.common.LiveBus bus, org.kinora.server.protection.ProtectedMedia protectedMedia) {
        this.protectedMedia = protectedMedia;
        this.blobs = blobs;
        this.videos = videos;
        this.tokens = tokens;
        this.redirects = redirects;
        this.lastKnown = new LastKnownVideos(offlineMaxAge, clock);
        // Every committed change to a video (privacy, deletion, status) is announced here, on every node sharing the bus.
        org.kinora.core.video.VideoChanged.topic(bus).subscribe(changed -> lastKnown.forget(changed.id()));
    }

    @Override
    public void register(Api app) {
        app.get("/media/{token}/{videoId}/<path>", doc("Media origin: playlists, manifests, segments and thumbnails behind a playback token (Range requests)"), this::serve);
        app.head("/media/{token}/{videoId}/<path>", doc("Media origin: headers of a media file"), this::serve);
    }

    private void serve(Context ctx) throws IOException {
        ctx.header("Access-Control-Allow-Origin", "*");
        String path = ctx.pathParam("path");
        String videoId = ctx.pathParam("videoId");
        if (!BlobKeys.isPublishedMediaPath(path) && !org.kinora.server.protection.ProtectedMedia.isOwnPath(path)) {
            throw KinoraException.badRequest("invalid_media_path", "'" + path + "' is not a file Kinora publishes for a video.");
        }
        PlaybackTokens.Grant grant = tokens.verify(ctx.pathParam("token"), videoId);
        // The database decides; while it is unreachable, what it last said about a public video does.
        Video video = lastKnown.visible(videoId, grant.viewerId(), videos::visibleVideo);
        if (protectedMedia.serve(ctx, video, path)) return;

        String key = BlobKeys.videoPrefix(videoId) + BlobKeys.storedPath(path);
        if (ctx.method() == HandlerType.GET) {
            Optional<MediaRedirects.Redirect> redirect = redirects.redirectFor(key);
            if (redirect.isPresent()) {
                // Access was checked above; the store serves the bytes. The redirect is as private as the URL.
                ctx.header("Cache-Control", "private, max-age=" + redirect.get().cacheSeconds());
                ctx.redirect(redirect.get().url().toString(), io.javalin.http.HttpStatus.FOUND);
                return;
            }
        }
        Optional<BlobInfo> stat = blobs.stat(key);
        if (stat.isEmpty()) throw KinoraException.notFound("Media file " + path);
        BlobInfo blob = stat.get();

        ctx.res().setContentType(BlobKeys.contentType(key));
        boolean text = BlobKeys.isText(key);
        if (!text) {
            ctx.res().setCharacterEncoding(null); // binary: no "; charset=" suffix
        }
        ctx.header("Cache-Control", cacheControl(path, video));
        ctx.header("Accept-Ranges", "bytes");
        ctx.header("Last-Modified", org.kinora.server.http.HttpDates.format(blob.lastModified()));
        // Playlists and MPDs are repetitive text that gzip shrinks several times over. Ranges are served from the plain bytes, so a
        // range request is never compressed; caches must keep the two apart (Vary).
        boolean gzip = text && ctx.header("Range") == null && AcceptEncoding.acceptsGzip(ctx.header("Accept-Encoding"));
        if (text) ctx.header("Vary", "Accept-Encoding");
        // The gzipped bytes differ from the stored ones but mean the same: a weak ETag (as nginx does).
        String etag = gzip ? "W/" + blob.etag() : blob.etag();
        ctx.header("ETag", etag);
        if (Preconditions.notModified(ctx.header("If-None-Match"), ctx.header("If-Modified-Since"), etag, blob.lastModified())) {
            ctx.status(304);
            return;
        }
        if (gzip) {
            byte[] compressed = gzip(key, blob.size());
            ctx.status(200);
            ctx.header("Content-Encoding", "gzip");
            ctx.res().setContentLengthLong(compressed.length);
            if (ctx.method() == HandlerType.HEAD) return;
            ctx.res().getOutputStream().write(compressed);
            return;
        }
        Optional<ByteRange> range;
        try {
            range = ByteRange.parse(ctx.header("Range"), blob.size());
        } catch (KinoraException unsatisfiable) {
            ctx.header("Content-Range", "bytes */" + blob.size());
            throw unsatisfiable;
        }
        long offset = range.map(ByteRange::start).orElse(0L);
        long length = range.map(ByteRange::length).orElse(blob.size());
        if (range.isPresent()) {
            ctx.status(206);
            ctx.header("Content-Range", "bytes " + offset + "-" + (offset + length - 1) + "/" + blob.size());
        } else {
            ctx.status(200);
        }
        ctx.res().setContentLengthLong(length);
        if (ctx.method() == HandlerType.HEAD) return;
        send(ctx, key, path, blob, offset, length);
    }

    /** The bytes, from a mapping when the store has local files (see {@link MappedMediaFiles}), else through a stream. */
    private void send(Context ctx, String key, String path, BlobInfo blob, long offset, long length) throws IOException {
        var out = ctx.res().getOutputStream();
        // Segments and init files only: a rung's playlist grows while it is encoded, so it always takes the stream path.
        if (BlobKeys.isImmutableMediaPath(path) && !path.endsWith(".m3u8") && out instanceof HttpOutput jetty) {
            Optional<java.nio.file.Path> file = blobs.localPath(key);
            Optional<ByteBuffer> bytes = file.isPresent() ? mapped.slice(file.get(), blob, offset, length) : Optional.empty();
            if (bytes.isPresent()) {
                jetty.sendContent(bytes.get()); // one write from the page cache, no copy through the heap
                return;
            }
        }
        try (InputStream in = blobs.open(key, offset, length)) {
            // 64 KiB writes (transferTo uses 16 KiB): a quarter of the calls through Jetty for a 1.4 MB segment.
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) out.write(buffer, 0, n);
        }
    }

    private static boolean isText(String key) {
        return key.endsWith(".vtt") || key.endsWith(".m3u8") || key.endsWith(".mpd");
    }

    /** Manifests and WebVTT are small (a 3-hour media playlist is ~100 kB), so they are compressed in memory. */
    private byte[] gzip(String key, long size) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(size, 1 << 20) / 4 + 64);
        try (InputStream in = blobs.open(key, 0, size); GZIPOutputStream zip = new GZIPOutputStream(out)) {
            in.transferTo(zip);
        }
        return out.toByteArray();
    }

    private static String cacheControl(String path, Video video) {
        String scope = video.privacy() == Privacy.PRIVATE ? "private" : "public";
        // A rung's playlist grows while its rung is encoded (an EVENT playlist, see TranscodeJobHandler),
        // so playlists are immutable only once the whole video is processed; segments always are.
        boolean growingPlaylist = path.endsWith(".m3u8") && !finishedProcessing(video);
        if (BlobKeys.isImmutableMediaPath(path) && !growingPlaylist) return scope + ", " + IMMUTABLE;
        // The poster under its revision's URL is cached for good: a changed poster gets a new URL
        // (Video.posterRevision). An older revision's URL, or the plain poster.jpg of old links, may
        // name a picture that changed, so those are kept briefly.
        Optional<String> revision = BlobKeys.posterRevision(path);
        if (revision.isPresent()) {
            return revision.get().equals(video.posterRevision()) ? scope + ", " + IMMUTABLE : scope + ", max-age=60";
        }
        if (BlobKeys.isThumbnailPath(path)) return scope + ", max-age=3600";
        // master.m3u8 and manifest.mpd gain renditions while the ladder finishes; after that
        // they no longer change. A day rather than a year: they are the entry point, and a day
        // bounds how long a cache keeps one should a video ever be processed again.
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
