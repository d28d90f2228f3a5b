package org.kinora.server.analytics;

import static org.kinora.server.http.ApiRole.SIGNED_IN;
import static org.kinora.server.http.Doc.doc;

import io.javalin.http.Context;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import org.kinora.core.analytics.AnalyticsRepository.Point;
import org.kinora.core.analytics.AnalyticsService;
import org.kinora.server.http.Api;
import org.kinora.server.http.Authenticator;
import org.kinora.server.http.Routes;

/** Analytics of your videos and your channel (owner only), as JSON or as CSV. */
final class AnalyticsRoutes implements Routes {
    private final AnalyticsService analytics;
    private final Authenticator auth;

    AnalyticsRoutes(AnalyticsService analytics, Authenticator auth) {
        this.analytics = analytics;
        this.auth = auth;
    }

    record Minute(Instant at, long views) {}

    record Realtime(List<Minute> items) {}

    @Override
    public void register(Api app) {
        app.get("/api/v1/videos/{id}/analytics", doc("Analytics of your video over a range (48h, 7d, 28d, 90d, all)", SIGNED_IN),
                ctx -> ctx.json(analytics.video(ctx.pathParam("id"), auth.requireUser(ctx), ctx.queryParam("range"))));
        app.get("/api/v1/videos/{id}/analytics/csv", doc("Your video's analytics series as CSV", SIGNED_IN),
                ctx -> csv(ctx, analytics.video(ctx.pathParam("id"), auth.requireUser(ctx), ctx.queryParam("range"))));
        app.get("/api/v1/videos/{id}/analytics/realtime", doc("Views of your video in the last 60 minutes, by minute", SIGNED_IN),
                ctx -> ctx.json(realtime(analytics.realtime("video", ctx.pathParam("id"), auth.requireUser(ctx)))));
        app.get("/api/v1/channels/{id}/analytics", doc("Analytics of your channel over a range (48h, 7d, 28d, 90d, all)", SIGNED_IN),
                ctx -> ctx.json(analytics.channel(ctx.pathParam("id"), auth.requireUser(ctx), ctx.queryParam("range"))));
        app.get("/api/v1/channels/{id}/analytics/csv", doc("Your channel's analytics series as CSV", SIGNED_IN),
                ctx -> csv(ctx, analytics.channel(ctx.pathParam("id"), auth.requireUser(ctx), ctx.queryParam("range"))));
        app.get("/api/v1/channels/{id}/analytics/realtime", doc("Views of your channel in the last 60 minutes, by minute", SIGNED_IN),
                ctx -> ctx.json(realtime(analytics.realtime("channel", ctx.pathParam("id"), auth.requireUser(ctx)))));
    }

    private static Realtime realtime(List<Point> points) {
        return new Realtime(points.stream().map(p -> new Minute(p.at(), p.views())).toList());
    }

    /** One row per hour or day of the range; ids are Kinora's own, so the file name needs no escaping. */
    private static void csv(Context ctx, AnalyticsService.Report r) {
        StringBuilder b = new StringBuilder(r.granularity()).append(",plays,views,watch_hours,likes,dislikes,comments,subscribers_gained,subscribers_lost\n");
        for (Point p : r.series()) {
            String t = r.granularity().equals("day") ? p.at().atZone(ZoneOffset.UTC).toLocalDate().toString() : p.at().toString();
            b.append(t).append(',').append(p.plays()).append(',').append(p.views()).append(',')
                    .append(String.format(Locale.ROOT, "%.4f", p.watchMs() / 3_600_000.0)).append(',').append(p.likes()).append(',')
                    .append(p.dislikes()).append(',').append(p.comments()).append(',').append(p.subscribersGained()).append(',')
                    .append(p.subscribersLost()).append('\n');
        }
        ctx.header("Content-Disposition", "attachment; filename=\"kinora-" + r.scope() + "-" + r.id() + "-" + r.range() + ".csv\"");
        ctx.contentType("text/csv; charset=utf-8").result(b.toString());
    }
}
