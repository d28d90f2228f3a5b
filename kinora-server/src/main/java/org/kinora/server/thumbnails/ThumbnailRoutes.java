package org.kinora.server.thumbnails;

import static org.kinora.server.http.ApiRole.IDEMPOTENT;
import static org.kinora.server.http.ApiRole.SIGNED_IN;
import static org.kinora.server.http.ApiRole.WRITE_LIMITED;
import static org.kinora.server.http.Doc.doc;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.kinora.core.channel.ChannelService;
import org.kinora.core.common.ErrorKind;
import org.kinora.core.common.KinoraException;
import org.kinora.server.auth.AuthRoutes;
import org.kinora.server.http.Api;
import org.kinora.server.http.Authenticator;
import org.kinora.server.http.Routes;

/** {@code /api/v1/videos/{id}/thumbnail}: a custom picture, a chosen frame, suggested frames. */
final class ThumbnailRoutes implements Routes {
    private final ThumbnailService thumbnails;
    private final Authenticator auth;

    ThumbnailRoutes(ThumbnailService thumbnails, Authenticator auth) {
        this.thumbnails = thumbnails;
        this.auth = auth;
    }

    record FrameRequest(Double at) {}

    record FrameResponse(double at) {}

    record SuggestionList(List<ThumbnailService.Suggestion> items) {}

    @Override
    public void register(Api app) {
        app.put("/api/v1/videos/{id}/thumbnail", doc("Replace your video's thumbnail with a picture (the image is the body; cropped to 16:9)",
                WRITE_LIMITED, SIGNED_IN), this::upload);
        app.post("/api/v1/videos/{id}/thumbnail/frame", doc("Make the frame at a moment of your video its thumbnail",
                WRITE_LIMITED, IDEMPOTENT, SIGNED_IN).body(FrameRequest.class), ctx -> {
            String user = auth.requireUser(ctx);
            FrameRequest r = AuthRoutes.body(ctx, FrameRequest.class);
            if (r.at() == null) throw KinoraException.badRequest("invalid_time", "at (seconds from the start) is required.");
            ctx.json(new FrameResponse(thumbnails.pickFrame(ctx.pathParam("id"), user, r.at())));
        });
        app.get("/api/v1/videos/{id}/thumbnail/suggestions", doc("Three suggested thumbnail frames of your video (not black, not blurred)", SIGNED_IN), ctx -> {
            String user = auth.requireUser(ctx);
            ctx.header("Cache-Control", "no-store");
            ctx.json(new SuggestionList(thumbnails.suggest(ctx.pathParam("id"), user)));
        });
    }

    /** Same limits as channel pictures: at most {@link ChannelService#MAX_IMAGE_BYTES}, raw body. */
    private void upload(Context ctx) throws IOException {
        String user = auth.requireUser(ctx);
        long declared = ctx.req().getContentLengthLong();
        if (declared > ChannelService.MAX_IMAGE_BYTES) {
            throw new KinoraException(ErrorKind.PAYLOAD_TOO_LARGE, "image_too_large",
                    "The picture is " + declared + " bytes; the largest accepted is " + ChannelService.MAX_IMAGE_BYTES + " bytes.",
                    Map.of("max_size", ChannelService.MAX_IMAGE_BYTES));
        }
        byte[] bytes;
        try (InputStream in = ctx.req().getInputStream()) {
            bytes = in.readNBytes(ChannelService.MAX_IMAGE_BYTES + 1);
        }
        if (bytes.length > ChannelService.MAX_IMAGE_BYTES) {
            throw new KinoraException(ErrorKind.PAYLOAD_TOO_LARGE, "image_too_large",
                    "The picture is larger than " + ChannelService.MAX_IMAGE_BYTES + " bytes.", Map.of("max_size", ChannelService.MAX_IMAGE_BYTES));
        }
        thumbnails.upload(ctx.pathParam("id"), user, bytes);
        ctx.status(204);
    }
}
