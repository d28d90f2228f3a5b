package org.kinora.server.playback;

import static org.kinora.server.http.Doc.doc;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.server.HttpOutput;
import org.kinora.core.blob.BlobStore;
import org.kinora.core.video.Video;
import org.kinora.server.http.Api;
import org.kinora.server.http.Routes;
import org.kinora.server.protection.ProtectedMedia;

/**
 * The media origin on the main listener: {@code GET|HEAD /media/{token}/{videoId}/{path}} serves
 * manifests, segments and thumbnails from the blob store with the headers a CDN and a player need.
 * Every request checks the token and the video's state ({@link MediaAccess}: read at most once a
 * second, dropped at once on a change), so a deleted or newly private video stops serving at once;
 * the country and age filters of their features run before it. What is sent is decided by
 * {@link MediaAnswers}, shared with the sendfile listener ({@link SendfileOrigin}).
 */
public final class OriginRoutes implements Routes {
    private final BlobStore blobs;
    private final MediaAccess access;
    private final MediaAnswers answers;
    /** Encrypted copies of protected videos (issue 17, docs/content-protection.md). */
    private final ProtectedMedia protectedMedia;
    private final MappedMediaFiles mapped = new MappedMediaFiles(4096);

    OriginRoutes(BlobStore blobs, MediaAccess access, MediaAnswers answers, ProtectedMedia protectedMedia) {
        this.blobs = blobs;
        this.access = access;
        this.answers = answers;
        this.protectedMedia = protectedMedia;
    }

    @Override
    public void register(Api app) {
        app.get("/media/{token}/{videoId}/<path>", doc("Media origin: playlists, manifests, segments and thumbnails behind a playback token (Range requests)"), this::serve);
        app.head("/media/{token}/{videoId}/<path>", doc("Media origin: headers of a media file"), this::serve);
    }

    private void serve(Context ctx) throws IOException {
        ctx.header("Access-Control-Allow-Origin", "*");
        String path = ctx.pathParam("path");
        Video video = access.check(ctx.pathParam("token"), ctx.pathParam("videoId"), path);
        if (protectedMedia.serve(ctx, video, path)) return;
        MediaAnswer answer = answers.answer(ctx.method() == HandlerType.HEAD, video, path, ctx::header);
        ctx.status(answer.status());
        for (Map.Entry<String, String> h : answer.headers().entrySet()) {
            switch (h.getKey()) {
                case "Content-Type" -> {
                    ctx.res().setContentType(h.getValue());
                    if (!org.kinora.core.blob.BlobKeys.isText(path)) ctx.res().setCharacterEncoding(null); // binary: no "; charset=" suffix
                }
                case "Content-Length" -> ctx.res().setContentLengthLong(Long.parseLong(h.getValue()));
                default -> ctx.header(h.getKey(), h.getValue());
            }
        }
        switch (answer.body()) {
            case MediaAnswer.None none -> { }
            case MediaAnswer.Refused refused -> throw refused.error();
            case MediaAnswer.Bytes bytes -> ctx.res().getOutputStream().write(bytes.bytes());
            case MediaAnswer.LocalFile file -> sendFile(ctx, file);
            case MediaAnswer.Stream stream -> copy(ctx, stream.key(), stream.offset(), stream.length());
        }
    }

    /** A mapping of the file handed to Jetty (see {@link MappedMediaFiles}), else through a stream. */
    private void sendFile(Context ctx, MediaAnswer.LocalFile file) throws IOException {
        if (ctx.res().getOutputStream() instanceof HttpOutput jetty) {
            Optional<ByteBuffer> bytes = mapped.slice(file.file(), file.blob(), file.offset(), file.length());
            if (bytes.isPresent()) {
                jetty.sendContent(bytes.get()); // one write from the page cache, no copy through the heap
                return;
            }
        }
        copy(ctx, file.blob().key(), file.offset(), file.length());
    }

    private void copy(Context ctx, String key, long offset, long length) throws IOException {
        var out = ctx.res().getOutputStream();
        try (InputStream in = blobs.open(key, offset, length)) {
            // 64 KiB writes (transferTo uses 16 KiB): a quarter of the calls through Jetty for a 1.4 MB segment.
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) out.write(buffer, 0, n);
        }
    }
}
