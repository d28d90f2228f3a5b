package org.kinora.server.details;

import static org.kinora.server.http.ApiRole.IDEMPOTENT;
import static org.kinora.server.http.ApiRole.SIGNED_IN;
import static org.kinora.server.http.ApiRole.WRITE_LIMITED;
import static org.kinora.server.http.Doc.doc;

import java.util.List;
import org.kinora.core.details.Chapter;
import org.kinora.core.details.Chapters;
import org.kinora.core.details.VideoDetails;
import org.kinora.core.details.VideoDetailsService;
import org.kinora.core.video.Video;
import org.kinora.server.auth.AuthRoutes;
import org.kinora.server.http.Api;
import org.kinora.server.http.Authenticator;
import org.kinora.server.http.Routes;

/** {@code /api/v1/videos/{id}/details} and {@code /chapters}: Studio details and the chapters viewers see. */
public final class VideoDetailsRoutes implements Routes {
    private final VideoDetailsService details;
    private final Authenticator auth;

    VideoDetailsRoutes(VideoDetailsService details, Authenticator auth) {
        this.details = details;
        this.auth = auth;
    }

    record DetailsView(String category, String language, String licence, String chapters, String publishAt,
                       List<String> categories, List<String> licences) {
        static DetailsView of(VideoDetails d) {
            return new DetailsView(d.category(), d.language(), d.licence(), d.chapters(),
                    d.publishAt() == null ? null : d.publishAt().toString(), VideoDetails.CATEGORIES, VideoDetails.LICENCES);
        }
    }

    record ChapterView(int start, String time, String title) {}

    record ChapterList(List<ChapterView> items) {}

    @Override
    public void register(Api app) {
        app.get("/api/v1/videos/{id}/details", doc("A video's category, language, licence, Studio chapters (and, for its owner, scheduled publication)"), ctx -> {
            ctx.header("Cache-Control", "no-store");
            ctx.json(DetailsView.of(details.details(ctx.pathParam("id"), auth.optionalUser(ctx).orElse(null))));
        });
        app.patch("/api/v1/videos/{id}/details",
                doc("Edit your video's category, language, licence, chapters or scheduled publication (\"\" clears a field)",
                        WRITE_LIMITED, IDEMPOTENT, SIGNED_IN).body(VideoDetailsService.Patch.class), ctx -> {
            String user = auth.requireUser(ctx);
            VideoDetailsService.Patch patch = AuthRoutes.body(ctx, VideoDetailsService.Patch.class);
            ctx.json(DetailsView.of(details.update(ctx.pathParam("id"), user, patch)));
        });
        app.get("/api/v1/videos/{id}/chapters", doc("A video's chapters (from Studio or the description's timestamps)"), ctx -> {
            ctx.header("Cache-Control", "no-store");
            List<Chapter> chapters = details.chapters(ctx.pathParam("id"), auth.optionalUser(ctx).orElse(null));
            ctx.json(new ChapterList(chapters.stream().map(c -> new ChapterView(c.start(), Chapters.format(c.start()), c.title())).toList()));
        });
        app.get("/api/v1/videos/{id}/chapters.vtt", doc("A video's chapters as WebVTT (kind=chapters)"), ctx -> {
            String viewer = auth.optionalUser(ctx).orElse(null);
            Video video = details.video(ctx.pathParam("id"), viewer);
            ctx.header("Cache-Control", "no-store");
            ctx.contentType("text/vtt; charset=utf-8");
            ctx.result(Chapters.toVtt(details.chapters(video.id(), viewer), video.durationSeconds()));
        });
    }
}
