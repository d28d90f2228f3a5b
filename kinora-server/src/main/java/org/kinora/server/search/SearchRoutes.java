package org.kinora.server.search;

import static org.kinora.server.http.ApiRole.SIGNED_IN;
import static org.kinora.server.http.Doc.doc;

import io.javalin.http.Context;
import java.util.List;
import org.kinora.core.common.Clock;
import org.kinora.core.common.Page;
import org.kinora.core.search.ChannelHit;
import org.kinora.core.search.SearchQueries;
import org.kinora.core.search.SearchQuery;
import org.kinora.core.search.SearchService;
import org.kinora.core.video.Video;
import org.kinora.server.http.Api;
import org.kinora.server.http.Authenticator;
import org.kinora.server.http.Routes;
import org.kinora.server.videos.VideoViews;
import org.kinora.server.videos.VideoView;

/**
 * Search and discovery: video search with filters and sorts, channel search, search-box
 * suggestions, trending, related videos and the signed-in home feed. Video items have the same
 * JSON shape as {@code GET /api/v1/videos}.
 */
public final class SearchRoutes implements Routes {
    static final int SUGGEST_DEFAULT = 8;
    static final int SUGGEST_MAX = 20;
    static final int CHANNELS_DEFAULT = 10;
    static final int DISCOVERY_DEFAULT = 24;

    private final SearchService search;
    private final Authenticator auth;
    private final VideoViews videos;
    private final Clock clock;

    public SearchRoutes(SearchService search, VideoViews videos, Authenticator auth, Clock clock) {
        this.search = search;
        this.auth = auth;
        this.videos = videos;
        this.clock = clock;
    }

    record VideoList(List<VideoView> items, String nextCursor) {}

    record ChannelList(List<ChannelHit> items) {}

    record SuggestionList(List<String> items) {}

    @Override
    public void register(Api app) {
        app.get("/api/v1/search", doc("Search public videos (filters, sort, cursor pages)"), this::searchVideos);
        app.get("/api/v1/search/channels", doc("Search channels"), ctx -> {
            String q = SearchQueries.text(ctx.queryParam("q"));
            int limit = SearchQueries.parseLimit(ctx.queryParam("limit"), CHANNELS_DEFAULT, SearchQueries.MAX_LIMIT);
            ctx.json(new ChannelList(search.channels(q, limit, auth.optionalUser(ctx).orElse(null))));
        });
        app.get("/api/v1/search/suggest", doc("Search suggestions while typing"), ctx -> {
            String q = SearchQueries.text(ctx.queryParam("q"));
            int limit = SearchQueries.parseLimit(ctx.queryParam("limit"), SUGGEST_DEFAULT, SUGGEST_MAX);
            // Typing fires one request per key; let the browser reuse answers for a short while.
            ctx.header("Cache-Control", "public, max-age=30");
            ctx.json(new SuggestionList(search.suggest(q, limit)));
        });
        app.get("/api/v1/trending", doc("Trending public videos"), ctx -> {
            int limit = SearchQueries.parseLimit(ctx.queryParam("limit"), DISCOVERY_DEFAULT, SearchService.MAX_DISCOVERY);
            ctx.json(list(ctx, search.trending(limit, auth.optionalUser(ctx).orElse(null)), null));
        });
        app.get("/api/v1/videos/{id}/related", doc("Videos related to a video"), ctx -> {
            String viewer = auth.optionalUser(ctx).orElse(null);
            int limit = SearchQueries.parseLimit(ctx.queryParam("limit"), DISCOVERY_DEFAULT, SearchService.MAX_DISCOVERY);
            ctx.json(list(ctx, search.related(ctx.pathParam("id"), viewer, limit), null));
        });
        app.get("/api/v1/feed/home", doc("Your home feed", SIGNED_IN), ctx -> {
            String user = auth.requireUser(ctx);
            int limit = SearchQueries.parseLimit(ctx.queryParam("limit"), DISCOVERY_DEFAULT, SearchService.MAX_DISCOVERY);
            ctx.header("Cache-Control", "no-store");
            ctx.json(list(ctx, search.homeFeed(user, limit), null));
        });
    }

    private void searchVideos(Context ctx) {
        SearchQuery query = SearchQueries.parse(ctx.queryParam("q"), ctx.queryParam("sort"), ctx.queryParam("duration"),
                ctx.queryParam("uploaded"), ctx.queryParam("channel"), ctx.queryParam("cursor"), ctx.queryParam("limit"),
                ctx.queryParam("category"), ctx.queryParam("language"), clock.now());
        Page<Video> page = search.search(query, auth.optionalUser(ctx).orElse(null));
        ctx.json(list(ctx, page.items(), page.nextCursor().orElse(null)));
    }

    private VideoList list(Context ctx, List<Video> items, String nextCursor) {
        return new VideoList(videos.views(ctx, items, null), nextCursor);
    }
}
