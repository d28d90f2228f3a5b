package org.kinora.server.channels;

import static org.kinora.server.http.Doc.doc;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import org.kinora.core.blob.BlobKeys;
import org.kinora.core.blob.BlobStore;
import org.kinora.core.common.Ids;
import org.kinora.core.common.KinoraException;
import org.kinora.server.http.Api;
import org.kinora.server.http.Routes;

/**
 * {@code GET /images/channels/{channelId}/{file}}: avatars and banners. A new picture gets a new
 * file name, so every URL is immutable and cached for a year.
 */
public final class ChannelImages implements Routes {
    private final BlobStore blobs;

    public ChannelImages(BlobStore blobs) {
        this.blobs = blobs;
    }

    /** The picture's URL (relative to the site), or null when the channel has none. */
    public static String url(String channelId, String file) {
        return file == null ? null : "/images/channels/" + channelId + "/" + file;
    }

    @Override
    public void register(Api app) {
        app.get("/images/channels/{channelId}/{file}", doc("A channel's avatar or banner image"), this::serve);
    }

    private void serve(Context ctx) throws IOException {
        String channelId = ctx.pathParam("channelId");
        String file = ctx.pathParam("file");
        if (!Ids.looksValid(channelId) || !BlobKeys.isChannelImageFile(file)) throw KinoraException.notFound("Image");
        String key = BlobKeys.channelImage(channelId, file);
        var stat = blobs.stat(key);
        if (stat.isEmpty()) throw KinoraException.notFound("Image");
        ctx.res().setContentType("image/jpeg");
        ctx.res().setCharacterEncoding(null); // binary: no "; charset=" suffix
        ctx.header("Cache-Control", "public, max-age=31536000, immutable");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.res().setContentLengthLong(stat.get().size());
        try (InputStream in = blobs.open(key, 0, stat.get().size())) {
            in.transferTo(ctx.res().getOutputStream());
        }
    }
}
