package org.kinora.server.geo;

import static org.kinora.server.http.ApiRole.IDEMPOTENT;
import static org.kinora.server.http.ApiRole.SIGNED_IN;
import static org.kinora.server.http.ApiRole.WRITE_LIMITED;
import static org.kinora.server.http.Doc.doc;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kinora.core.common.ErrorKind;
import org.kinora.core.common.Ids;
import org.kinora.core.common.KinoraException;
import org.kinora.core.geo.CountryLookup;
import org.kinora.core.geo.CountryRules;
import org.kinora.core.geo.VideoCountryRules;
import org.kinora.core.video.Video;
import org.kinora.core.video.VideoService;
import org.kinora.server.http.Api;
import org.kinora.server.http.Authenticator;
import org.kinora.server.http.ForwardedHeaders;
import org.kinora.server.http.Routes;

/**
 * Country rules of videos: the owner sets them; the media origin and the video API refuse a
 * viewer in a refused country with 451 and the reason; CDN tiers fetch all rules each second
 * (GET /api/v1/playback/country-rules) and refuse at the edge from the country they are told.
 */
final class GeoRoutes implements Routes {
    /** The country a trusted proxy (a CDN tier) says the viewer is in; from anyone else it is ignored. */
    static final String COUNTRY_HEADER = "X-Kinora-Country";

    record RulesBody(List<String> allowedCountries, List<String> blockedCountries) {}

    private final VideoCountryRules store;
    private final CountryRulesCache cache;
    private final CountryLookup lookup;
    private final VideoService videos;
    private final Authenticator auth;

    GeoRoutes(VideoCountryRules store, CountryRulesCache cache, CountryLookup lookup, VideoService videos, Authenticator auth) {
        this.store = store;
        this.cache = cache;
        this.lookup = lookup;
        this.videos = videos;
        this.auth = auth;
    }

    @Override
    public void register(Api app) {
        app.before("/media/{token}/{videoId}/<path>", ctx -> refusal(ctx, ctx.pathParam("videoId")).ifPresent(GeoRoutes::refuse));
        app.before("/api/v1/videos/{id}", ctx -> {
            // Also matches literal routes (/api/v1/videos/trending...): those are no video ids and pass.
            if (ctx.method() != HandlerType.GET && ctx.method() != HandlerType.HEAD) return;
            String id = ctx.pathParam("id");
            Optional<KinoraException> refused = refusal(ctx, id);
            if (refused.isEmpty()) return;
            // Owners manage their video from anywhere; the rules are about who may watch it.
            Optional<String> viewer = auth.optionalUser(ctx);
            if (viewer.isPresent() && isOwner(id, viewer.get())) return;
            throw refused.get();
        });
        app.get("/api/v1/videos/{id}/country-rules", doc("Your video's country rules (where it may play)", SIGNED_IN), ctx -> {
            String id = ownedVideo(ctx).id();
            ctx.json(view(store.find(id)));
        });
        app.put("/api/v1/videos/{id}/country-rules", doc("Set where your video may play: allowed and blocked ISO country codes",
                WRITE_LIMITED, IDEMPOTENT, SIGNED_IN).body(RulesBody.class), ctx -> {
            String id = ownedVideo(ctx).id();
            RulesBody body = org.kinora.server.auth.AuthRoutes.body(ctx, RulesBody.class);
            CountryRules rules = CountryRules.of(body.allowedCountries(), body.blockedCountries());
            store.save(id, rules);
            cache.put(id, rules);
            ctx.json(view(rules));
        });
        app.get("/api/v1/playback/country-rules", doc("Country rules of every restricted video (one a line), for CDN tiers"), ctx -> {
            StringBuilder b = new StringBuilder();
            for (var e : new java.util.TreeMap<>(cache.all()).entrySet()) {
                b.append(e.getKey()).append(" allow=").append(String.join(",", e.getValue().allowed()))
                        .append(" block=").append(String.join(",", e.getValue().blocked())).append('\n');
            }
            ctx.header("Cache-Control", "public, max-age=1");
            ctx.contentType("text/plain; charset=utf-8");
            ctx.result(b.toString());
        });
    }

    private Video ownedVideo(Context ctx) {
        String user = auth.requireUser(ctx);
        Video v = videos.visibleVideo(ctx.pathParam("id"), user);
        if (!v.isOwnedBy(user)) throw KinoraException.forbidden("Only the video's owner may see or change its country rules.");
        return v;
    }

    private static Map<String, List<String>> view(CountryRules rules) {
        return Map.of("allowed_countries", List.copyOf(rules.allowed()), "blocked_countries", List.copyOf(rules.blocked()));
    }

    /** The 451 this request gets, if the video has rules that refuse the viewer's country. */
    private Optional<KinoraException> refusal(Context ctx, String videoId) {
        if (!Ids.looksValid(videoId)) return Optional.empty();
        CountryRules rules = cache.find(videoId);
        if (rules.isEmpty()) return Optional.empty();
        Optional<String> country = countryOf(ctx);
        return rules.refusal(country).map(reason -> new KinoraException(ErrorKind.UNAVAILABLE_FOR_LEGAL_REASONS,
                "unavailable_in_country", reason, Map.of("country", country.orElse("unknown"))));
    }

    private static void refuse(KinoraException e) {
        throw e;
    }

    private boolean isOwner(String videoId, String viewer) {
        try {
            return videos.visibleVideo(videoId, viewer).isOwnedBy(viewer);
        } catch (KinoraException notVisible) {
            return false;
        }
    }

    private Optional<String> countryOf(Context ctx) {
        String told = ctx.header(COUNTRY_HEADER);
        if (told != null && told.matches("[A-Za-z]{2}") && ForwardedHeaders.fromTrustedProxy(ctx)) {
            return Optional.of(told.toUpperCase(java.util.Locale.ROOT));
        }
        return lookup.country(ForwardedHeaders.clientIp(ctx));
    }
}
