package org.kinora.server.views;

import static org.kinora.server.http.ApiRole.IDEMPOTENT;
import static org.kinora.server.http.ApiRole.SIGNED_IN;
import static org.kinora.server.http.ApiRole.WRITE_LIMITED;
import static org.kinora.server.http.Doc.doc;

import io.javalin.http.Context;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.kinora.core.geo.CountryLookup;
import org.kinora.core.analytics.TrafficSource;
import org.kinora.core.common.Cursors;
import org.kinora.core.common.Page;
import org.kinora.core.common.RateLimiter;
import org.kinora.core.view.HistoryRepository;
import org.kinora.core.view.HistoryService;
import org.kinora.core.view.PlayContext;
import org.kinora.server.auth.AuthRoutes;
import org.kinora.server.http.Api;
import org.kinora.server.http.Authenticator;
import org.kinora.server.http.ListResponse;
import org.kinora.server.http.Params;
import org.kinora.server.http.Routes;
import org.kinora.server.videos.VideoView;
import org.kinora.server.videos.VideoViews;

/** Play events in; watch history, continue watching and daily statistics out. */
public final class ViewRoutes implements Routes {
    private final HistoryService history;
    private final VideoViews views;
    private final Authenticator auth;
    private final RateLimiter eventLimiter;
    private final CountryLookup countries;

    public ViewRoutes(HistoryService history, VideoViews views, Authenticator auth, RateLimiter eventLimiter, CountryLookup countries) {
        this.countries = countries;
        this.history = history;
        this.views = views;
        this.auth = auth;
        this.eventLimiter = eventLimiter;
        UserAgents.load(); // at boot, not in the first play's request
    }

    /**
     * {@code source}: where the play came from (search, home, subscriptions, related, playlist,
     * channel, embed, external, direct; absent = direct); {@code referrerDomain}: the embedding or
     * linking site, for embed and external.
     */
    record PlayEventRequest(String type, Double positionSeconds, String sessionId, String source, String referrerDomain) {}

    record HistoryItem(VideoView video, double positionSeconds, boolean completed, Instant watchedAt) {}

    record HistorySettings(boolean paused) {}

    record Cleared(int removed) {}

    record DailyViews(String videoId, List<Day> items) {
        record Day(LocalDate day, long views) {}
    }

    @Override
    public void register(Api app) {
        app.post("/api/v1/videos/{id}/events", doc("Report a play event (play, progress, end); counted views and history come from these", IDEMPOTENT).body(PlayEventRequest.class), ctx -> {
            Optional<String> user = auth.optionalUser(ctx);
            eventLimiter.acquire(user.orElseGet(() -> "ip:" + org.kinora.server.http.ForwardedHeaders.clientIp(ctx)));
            PlayEventRequest r = AuthRoutes.body(ctx, PlayEventRequest.class);
            history.report(ctx.pathParam("id"), user.orElse(null), r.sessionId(), r.type(), r.positionSeconds(), context(ctx, r));
            ctx.status(202);
        });
        app.get("/api/v1/videos/{id}/stats/daily", doc("Daily views of your video", SIGNED_IN), ctx -> {
            String user = auth.requireUser(ctx);
            int days = days(ctx.queryParam("days"));
            var items = history.dailyViews(ctx.pathParam("id"), user, days).stream()
                    .map(d -> new DailyViews.Day(d.day(), d.views())).toList();
            ctx.json(new DailyViews(ctx.pathParam("id"), items));
        });
        app.get("/api/v1/me/history", doc("Your watch history, newest first (cursor pages)", SIGNED_IN), this::list);
        app.delete("/api/v1/me/history", doc("Clear your watch history", WRITE_LIMITED, IDEMPOTENT, SIGNED_IN), ctx -> ctx.json(new Cleared(history.clear(auth.requireUser(ctx)))));
        app.delete("/api/v1/me/history/{videoId}", doc("Remove one video from your watch history", WRITE_LIMITED, IDEMPOTENT, SIGNED_IN), ctx -> {
            history.remove(auth.requireUser(ctx), ctx.pathParam("videoId"));
            ctx.status(204);
        });
        app.get("/api/v1/me/history/settings", doc("Whether your watch history is paused", SIGNED_IN), ctx -> ctx.json(new HistorySettings(history.paused(auth.requireUser(ctx)))));
        app.put("/api/v1/me/history/settings", doc("Pause or resume your watch history", WRITE_LIMITED, IDEMPOTENT, SIGNED_IN).body(HistorySettings.class), ctx -> {
            String user = auth.requireUser(ctx);
            HistorySettings r = AuthRoutes.body(ctx, HistorySettings.class);
            history.setPaused(user, r.paused());
            ctx.json(new HistorySettings(history.paused(user)));
        });
        app.get("/api/v1/me/continue-watching", doc("Videos you started and did not finish", SIGNED_IN), ctx -> {
            String user = auth.requireUser(ctx);
            List<HistoryRepository.Entry> entries = history.continueWatching(user, Params.limit(ctx, 12, HistoryService.MAX_PAGE));
            ctx.json(new ListResponse<>(items(ctx, entries, user), null));
        });
    }

    /** Where the play came from and on what: the page's report, the User-Agent and, when a lookup is wired, the country. */
    private PlayContext context(Context ctx, PlayEventRequest r) {
        TrafficSource source = r.source() == null || r.source().isBlank() ? TrafficSource.DIRECT
                : TrafficSource.parse(r.source()).orElseThrow(() -> org.kinora.core.common.KinoraException.badRequest("invalid_source",
                        "source must be one of search, home, subscriptions, related, playlist, channel, embed, external, direct."));
        UserAgents.Agent agent = UserAgents.classify(ctx.userAgent());
        String country = countries.country(ctx.ip()).orElse(null);
        return new PlayContext(source, r.referrerDomain(), agent.device(), agent.browser(), country);
    }

    private static int days(String s) {
        if (s == null || s.isBlank()) return 30;
        try {
            return Integer.parseInt(s.trim()); // the range is checked by the service
        } catch (NumberFormatException e) {
            throw org.kinora.core.common.KinoraException.badRequest("invalid_days", "days must be between 1 and 366.");
        }
    }

    private void list(Context ctx) {
        String user = auth.requireUser(ctx);
        int limit = Params.limit(ctx, 24, HistoryService.MAX_PAGE);
        Optional<HistoryRepository.Cursor> after = Params.cursor(ctx).map(s -> {
            Cursors.Fields f = Cursors.decode(s, 2);
            return new HistoryRepository.Cursor(f.instant(0), f.text(1));
        });
        Page<HistoryRepository.Entry> page = Page.of(history.list(user, after, Page.fetchSize(limit)), limit,
                last -> Cursors.encode(last.updatedAt(), last.video().id()));
        ctx.json(new ListResponse<>(items(ctx, page.items(), user), page.nextCursorOrNull()));
    }

    private List<HistoryItem> items(Context ctx, List<HistoryRepository.Entry> entries, String user) {
        List<VideoView> videos = views.views(ctx, entries.stream().map(HistoryRepository.Entry::video).toList(), user);
        return java.util.stream.IntStream.range(0, entries.size()).mapToObj(i -> new HistoryItem(videos.get(i),
                entries.get(i).positionSeconds(), entries.get(i).completed(), entries.get(i).updatedAt())).toList();
    }
}
