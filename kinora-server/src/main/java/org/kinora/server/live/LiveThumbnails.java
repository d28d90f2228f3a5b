package org.kinora.server.live;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.kinora.core.blob.BlobKeys;
import org.kinora.core.blob.BlobStore;
import org.kinora.core.channel.ChannelService;
import org.kinora.core.channel.ImageProcessor;
import org.kinora.core.common.ErrorKind;
import org.kinora.core.common.Ids;
import org.kinora.core.common.KinoraException;
import org.kinora.core.live.LiveSession;

/**
 * A live's own thumbnail, set before it starts: the uploaded picture is decoded and re-encoded
 * as a 1280×720 JPEG (cover crop) by the same processor as channel images, so nothing the
 * uploader sent is ever served; a new picture gets a new name, so the URL is immutable.
 */
final class LiveThumbnails {
    static final int WIDTH = 1280;
    static final int HEIGHT = 720;

    private final BlobStore blobs;
    private final ImageProcessor images;

    LiveThumbnails(BlobStore blobs, ImageProcessor images) {
        this.blobs = blobs;
        this.images = images;
    }

    static String url(LiveSession s) {
        return s.thumbnailFile() == null ? null : "/images/lives/" + s.id() + "/" + s.thumbnailFile();
    }

    byte[] jpeg(Context ctx) throws IOException {
        int max = ChannelService.MAX_IMAGE_BYTES;
        long declared = ctx.req().getContentLengthLong();
        byte[] bytes;
        try (InputStream in = ctx.req().getInputStream()) {
            bytes = declared > max ? new byte[max + 1] : in.readNBytes(max + 1);
        }
        if (bytes.length > max) {
            throw new KinoraException(ErrorKind.PAYLOAD_TOO_LARGE, "image_too_large", "The picture is larger than " + max
                    + " bytes; send a smaller one.", Map.of("max_size", max));
        }
        if (bytes.length == 0) throw KinoraException.badRequest("empty_image", "Send the picture's bytes (JPEG, PNG…) as the request body.");
        return images.coverJpeg(bytes, WIDTH, HEIGHT);
    }

    void serve(Context ctx) throws IOException {
        String id = ctx.pathParam("id");
        String file = ctx.pathParam("file");
        if (!Ids.looksValid(id) || !BlobKeys.isLiveThumbnailFile(file)) throw KinoraException.notFound("Image");
        String key = BlobKeys.liveThumbnail(id, file);
        var stat = blobs.stat(key);
        if (stat.isEmpty()) throw KinoraException.notFound("Image");
        ctx.res().setContentType("image/jpeg");
        ctx.res().setCharacterEncoding(null);
        ctx.header("Cache-Control", "public, max-age=31536000, immutable");
        ctx.res().setContentLengthLong(stat.get().size());
        try (InputStream in = blobs.open(key, 0, stat.get().size())) {
            in.transferTo(ctx.res().getOutputStream());
        }
    }
}
