package org.kinora.server.captions;

import static org.kinora.server.http.ApiRole.IDEMPOTENT;
import static org.kinora.server.http.ApiRole.SIGNED_IN;
import static org.kinora.server.http.ApiRole.WRITE_LIMITED;
import static org.kinora.server.http.Doc.doc;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.kinora.core.caption.CaptionLanguage;
import org.kinora.core.caption.CaptionParser;
import org.kinora.core.caption.CaptionService;
import org.kinora.core.caption.CaptionTrack;
import org.kinora.core.common.ErrorKind;
import org.kinora.core.common.KinoraException;
import org.kinora.server.http.Api;
import org.kinora.server.http.Authenticator;
import org.kinora.server.http.Routes;

/** {@code /api/v1/videos/{id}/captions}: list, upload or replace (the file is the body), download and delete tracks. */
public final class CaptionRoutes implements Routes {
    private final CaptionService captions;
    private final Authenticator auth;

    CaptionRoutes(CaptionService captions, Authenticator auth) {
        this.captions = captions;
        this.auth = auth;
    }

    record TrackView(String language, String label, int cueCount, String updatedAt, String url) {
        static TrackView of(CaptionTrack t) {
            return new TrackView(t.language(), t.label(), t.cueCount(), t.updatedAt().toString(),
                    "/api/v1/videos/" + t.videoId() + "/captions/" + t.language());
        }
    }

    record TrackList(List<TrackView> items) {}

    @Override
    public void register(Api app) {
        app.get("/api/v1/videos/{id}/captions", doc("A video's caption tracks"), ctx -> {
            String viewer = auth.optionalUser(ctx).orElse(null);
            ctx.header("Cache-Control", "no-store");
            ctx.json(new TrackList(captions.list(ctx.pathParam("id"), viewer).stream().map(TrackView::of).toList()));
        });
        app.put("/api/v1/videos/{id}/captions/{language}",
                doc("Upload or replace your video's captions in one language: the WebVTT or SRT file is the body (?label= names the track)",
                        WRITE_LIMITED, IDEMPOTENT, SIGNED_IN), this::upload);
        app.get("/api/v1/videos/{id}/captions/{language}", doc("Download a caption track as WebVTT"), ctx -> {
            String viewer = auth.optionalUser(ctx).orElse(null);
            String language = CaptionLanguage.normalise(ctx.pathParam("language"));
            try (InputStream in = captions.download(ctx.pathParam("id"), viewer, language)) {
                ctx.header("Content-Disposition", "attachment; filename=\"" + ctx.pathParam("id") + "." + CaptionLanguage.fileStem(language) + ".vtt\"");
                ctx.header("Cache-Control", "no-store");
                ctx.contentType("text/vtt; charset=utf-8");
                ctx.result(in.readAllBytes());
            }
        });
        app.delete("/api/v1/videos/{id}/captions/{language}", doc("Delete a caption track of your video", WRITE_LIMITED, IDEMPOTENT, SIGNED_IN), ctx -> {
            captions.delete(ctx.pathParam("id"), auth.requireUser(ctx), ctx.pathParam("language"));
            ctx.status(204);
        });
    }

    private void upload(Context ctx) throws IOException {
        String user = auth.requireUser(ctx);
        long declared = ctx.req().getContentLengthLong();
        if (declared > CaptionParser.MAX_BYTES) {
            throw new KinoraException(ErrorKind.PAYLOAD_TOO_LARGE, "captions_too_large",
                    "The caption file is " + declared + " bytes; the largest accepted is " + CaptionParser.MAX_BYTES + " bytes.",
                    Map.of("max_size", CaptionParser.MAX_BYTES));
        }
        // bodyAsBytes: the idempotency filter may have read the body already (Javalin keeps it).
        byte[] file = ctx.bodyAsBytes();
        CaptionTrack track = captions.upload(ctx.pathParam("id"), user, ctx.pathParam("language"), ctx.queryParam("label"), file);
        ctx.json(TrackView.of(track));
    }
}
