package org.kinora.server.protection;

import static org.kinora.server.http.ApiRole.IDEMPOTENT;
import static org.kinora.server.http.ApiRole.SIGNED_IN;
import static org.kinora.server.http.ApiRole.WRITE_LIMITED;
import static org.kinora.server.http.Doc.doc;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kinora.core.common.Clock;
import org.kinora.core.common.Ids;
import org.kinora.core.common.KinoraException;
import org.kinora.core.playback.AgeRule;
import org.kinora.core.playback.BirthDates;
import org.kinora.core.playback.PlaybackSettings;
import org.kinora.core.video.Video;
import org.kinora.core.video.VideoService;
import org.kinora.server.auth.AuthRoutes;
import org.kinora.server.http.Api;
import org.kinora.server.http.Authenticator;
import org.kinora.server.http.Routes;
import org.kinora.server.playback.PlaybackTokens;

/**
 * Age restriction and content protection over HTTP: the viewer's date of birth, the creator's
 * per-video settings, the ClearKey licence, and the filters that refuse an age-restricted video to
 * whoever may not watch it at the video API and the media origin (403 with the reason's code).
 */
final class ProtectionRoutes implements Routes {
    record BirthDateBody(String birthDate) {}

    record SettingsBody(Boolean ageRestricted, @com.fasterxml.jackson.annotation.JsonProperty("protected") Boolean protectedContent) {}

    /** A W3C ClearKey licence request (EME "keyids" message): base64url key ids. */
    record LicenceRequest(List<String> kids, String type) {}

    private final PlaybackGate gate;
    private final PlaybackSettingsCache settings;
    private final BirthDates birthDates;
    private final ProtectedMedia media;
    private final PlaybackTokens tokens;
    private final VideoService videos;
    private final Authenticator auth;
    private final Clock clock;
    private final boolean protectionEnabled;

    ProtectionRoutes(PlaybackGate gate, PlaybackSettingsCache settings, BirthDates birthDates, ProtectedMedia media,
                     PlaybackTokens tokens, VideoService videos, Authenticator auth, Clock clock, boolean protectionEnabled) {
        this.gate = gate;
        this.settings = settings;
        this.birthDates = birthDates;
        this.media = media;
        this.tokens = tokens;
        this.videos = videos;
        this.auth = auth;
        this.clock = clock;
        this.protectionEnabled = protectionEnabled;
    }

    @Override
    public void register(Api app) {
        // A token minted before the video was restricted (or before the viewer's date of birth changed) stops working here.
        app.before("/media/{token}/{videoId}/<path>", ctx -> {
            String id = ctx.pathParam("videoId");
            if (!Ids.looksValid(id) || !gate.ageRestricted(id)) return;
            PlaybackTokens.Grant grant = tokens.verify(ctx.pathParam("token"), id);
            Video video = videos.visibleVideo(id, grant.viewerId());
            gate.refusal(video, grant.viewerId()).ifPresent(ProtectionRoutes::refuse);
        });
        app.before("/api/v1/videos/{id}", ctx -> {
            // Also matches literal routes (/api/v1/videos/trending...): those are no video ids and pass.
            if (ctx.method() != HandlerType.GET && ctx.method() != HandlerType.HEAD) return;
            String id = ctx.pathParam("id");
            if (!Ids.looksValid(id) || !gate.ageRestricted(id)) return;
            String viewer = auth.optionalUser(ctx).orElse(null);
            Video video;
            try {
                video = videos.visibleVideo(id, viewer);
            } catch (KinoraException notVisible) {
                return; // the route answers 404 itself
            }
            gate.refusal(video, viewer).ifPresent(ProtectionRoutes::refuse);
        });

        app.get("/api/v1/me/birth-date", doc("Your date of birth (for age-restricted videos), if you gave one", SIGNED_IN), ctx -> {
            String user = auth.requireUser(ctx);
            ctx.json(birthDateView(birthDates.find(user)));
        });
        app.put("/api/v1/me/birth-date", doc("Set or clear your date of birth (YYYY-MM-DD or null): age-restricted videos need 18+",
                WRITE_LIMITED, IDEMPOTENT, SIGNED_IN).body(BirthDateBody.class), ctx -> {
            String user = auth.requireUser(ctx);
            Optional<LocalDate> d = BirthDateInput.parse(AuthRoutes.body(ctx, BirthDateBody.class).birthDate(), today());
            birthDates.save(user, d);
            ctx.json(birthDateView(d));
        });
        app.get("/api/v1/videos/{id}/playback-settings", doc("Your video's playback settings: age restriction and content protection", SIGNED_IN),
                ctx -> ctx.json(settingsView(ownedVideo(ctx).id())));
        app.put("/api/v1/videos/{id}/playback-settings", doc("Set your video's age restriction and content protection (HLS AES-128, DASH CENC ClearKey)",
                WRITE_LIMITED, IDEMPOTENT, SIGNED_IN).body(SettingsBody.class), ctx -> {
            String id = ownedVideo(ctx).id();
            SettingsBody body = AuthRoutes.body(ctx, SettingsBody.class);
            PlaybackSettings old = settings.store().creatorSettings(id);
            boolean protect = body.protectedContent() == null ? old.protectedContent() : body.protectedContent();
            if (protect && !protectionEnabled) {
                throw KinoraException.conflict("content_protection_disabled",
                        "Content protection is turned off on this instance (delivery.content-protection = false); ask its admin.");
            }
            boolean age = body.ageRestricted() == null ? old.ageRestricted() : body.ageRestricted();
            settings.store().save(id, new PlaybackSettings(age, protect));
            settings.refresh(); // seen at once here; the other nodes within a second
            ctx.json(settingsView(id));
        });
        app.post("/media/{token}/{videoId}/licence", doc("W3C ClearKey licence of a protected video's DASH tracks, behind its playback token"), this::licence);
    }

    private void licence(Context ctx) {
        ctx.header("Access-Control-Allow-Origin", "*");
        ctx.header("Cache-Control", "private, no-store");
        String id = ctx.pathParam("videoId");
        PlaybackTokens.Grant grant = tokens.verify(ctx.pathParam("token"), id);
        Video video = videos.visibleVideo(id, grant.viewerId());
        if (!gate.isProtected(video.id())) throw KinoraException.notFound("A licence for this video (it is not protected)");
        LicenceRequest request = AuthRoutes.body(ctx, LicenceRequest.class);
        if (request.kids() == null || request.kids().isEmpty()) {
            throw KinoraException.badRequest("invalid_licence_request", "A ClearKey licence request names the key ids it wants in \"kids\".");
        }
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        Map<String, byte[]> known = media.licenceKeys(id); // cenc's and cbcs's, whichever the player's MPD named
        List<Map<String, String>> keys = new ArrayList<>();
        for (String wanted : request.kids()) {
            String kid = wanted == null ? null : wanted.replace("=", "");
            if (kid != null && known.containsKey(kid)) keys.add(Map.of("kty", "oct", "kid", kid, "k", b64.encodeToString(known.get(kid))));
        }
        if (keys.isEmpty()) throw KinoraException.badRequest("unknown_key_id", "None of the requested key ids belongs to this video.");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("keys", keys);
        out.put("type", request.type() == null ? "temporary" : request.type());
        ctx.json(out);
    }

    private Video ownedVideo(Context ctx) {
        String user = auth.requireUser(ctx);
        Video v = videos.visibleVideo(ctx.pathParam("id"), user);
        if (!v.isOwnedBy(user)) throw KinoraException.forbidden("Only the video's owner may see or change its playback settings.");
        return v;
    }

    private Map<String, Object> settingsView(String id) {
        PlaybackSettings mine = settings.store().creatorSettings(id);
        PlaybackSettings effective = settings.find(id);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("age_restricted", mine.ageRestricted());
        out.put("protected", mine.protectedContent());
        // A moderator's age restriction stands whatever the creator sets.
        out.put("age_restricted_by_moderator", effective.ageRestricted() && !mine.ageRestricted());
        out.put("protection_available", protectionEnabled);
        return out;
    }

    private Map<String, Object> birthDateView(Optional<LocalDate> d) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("birth_date", d.map(LocalDate::toString).orElse(null));
        out.put("adult", d.map(b -> AgeRule.isAdult(b, today())).orElse(false));
        return out;
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.now(), ZoneOffset.UTC);
    }

    private static void refuse(AgeRule.Refusal r) {
        throw PlaybackGate.refused(r);
    }
}
