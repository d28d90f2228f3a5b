package org.kinora.server.moderation;

import static org.kinora.server.http.ApiRole.ALLOWED_WHILE_SUSPENDED;
import static org.kinora.server.http.ApiRole.IDEMPOTENT;
import static org.kinora.server.http.ApiRole.SIGNED_IN;
import static org.kinora.server.http.ApiRole.WRITE_LIMITED;
import static org.kinora.server.http.Doc.doc;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kinora.core.common.Clock;
import org.kinora.core.common.Ids;
import org.kinora.core.common.KinoraException;
import org.kinora.core.moderation.BlockRepository;
import org.kinora.core.moderation.CommentMode;
import org.kinora.core.moderation.Items;
import org.kinora.core.moderation.ModerationAction;
import org.kinora.core.moderation.ModerationService;
import org.kinora.core.moderation.RestrictionRepository;
import org.kinora.core.moderation.Standing;
import org.kinora.core.moderation.VideoFlags;
import org.kinora.core.video.Video;
import org.kinora.core.video.VideoService;
import org.kinora.server.auth.AuthRoutes;
import org.kinora.server.http.Api;
import org.kinora.server.http.Authenticator;
import org.kinora.server.http.Routes;

/**
 * A creator's side of moderation: their standing and the decisions against them with one appeal
 * each, their videos' comment settings; and, for every page, which videos show blurred or hidden.
 */
record StandingRoutes(ModerationService moderation, Items items, RestrictionRepository restrictions, BlockRepository blocks,
                      VideoService videos, Clock clock, Authenticator auth) implements Routes {
    record StandingView(boolean warned, int activeStrikes, Instant frozenUntil, Instant suspendedUntil, boolean terminated,
                        String restriction, List<ActionView> actions, List<HeldVideo> held) {}

    /** One of your uploads waiting for a moderator before anyone else can see it. */
    record HeldVideo(String videoId, String reason, Instant heldAt) {}

    record AppealRequest(String message) {}

    record CommentSettings(String mode) {}

    record Flags(boolean sensitive, boolean ageRestricted, boolean hidden) {}

    @Override
    public void register(Api app) {
        app.get("/api/v1/me/standing", doc("Your standing: warnings, active strikes, freezes and the decisions against you", SIGNED_IN), ctx -> {
            String user = auth.requireUser(ctx);
            Standing s = moderation.standing(user);
            List<ActionView> actions = moderation.concerning(user).stream().map(this::view).toList();
            ctx.header("Cache-Control", "no-store");
            ctx.json(new StandingView(s.warned(), s.activeStrikes(), s.frozenUntil(), s.suspendedUntil() == null || s.suspendedUntil()
                    .equals(Instant.MAX) ? null : s.suspendedUntil(), s.terminated(), s.refusal(clock.now()), actions,
                    restrictions.heldVideosOf(user, 200).stream().map(f -> new HeldVideo(f.videoId(), f.holdReason(), f.heldAt())).toList()));
        });
        app.post("/api/v1/me/moderation/actions/{id}/appeal", doc("Appeal a decision against you (once per decision)",
                WRITE_LIMITED, IDEMPOTENT, SIGNED_IN, ALLOWED_WHILE_SUSPENDED).body(AppealRequest.class), ctx -> {
            String user = auth.requireUser(ctx);
            AppealRequest r = AuthRoutes.body(ctx, AppealRequest.class);
            moderation.appeal(user, ctx.pathParam("id"), r.message());
            ctx.status(201).json(view(moderation.action(ctx.pathParam("id")).orElseThrow()));
        });
        app.put("/api/v1/videos/{id}/comment-settings", doc("Your video's comments: on, off, or held for your approval",
                WRITE_LIMITED, IDEMPOTENT, SIGNED_IN).body(CommentSettings.class), ctx -> {
            String user = auth.requireUser(ctx);
            CommentSettings r = AuthRoutes.body(ctx, CommentSettings.class);
            CommentMode mode = CommentMode.parse(r.mode()).orElseThrow(() -> KinoraException.badRequest("invalid_mode",
                    "mode must be on, off or held."));
            Video v = videos.visibleVideo(ctx.pathParam("id"), user);
            if (!v.isOwnedBy(user)) throw KinoraException.forbidden("Only the video's owner may change its comment settings.");
            restrictions.setComments(v.id(), mode);
            ctx.json(new CommentSettings(mode.wireName()));
        });
        app.get("/api/v1/videos/{id}/comment-settings", doc("A video's comment setting: on, off or held"), ctx -> {
            String id = ctx.pathParam("id");
            videos.visibleVideo(id, auth.optionalUser(ctx).orElse(null));
            ctx.json(new CommentSettings(restrictions.flags(id).map(VideoFlags::comments).orElse(CommentMode.ON).wireName()));
        });
        app.get("/api/v1/moderation/flags", doc("For up to 100 video ids (ids=a,b): sensitive, age-restricted, and hidden (you blocked its channel)"), ctx -> {
            Set<String> ids = new LinkedHashSet<>();
            String raw = ctx.queryParam("ids");
            if (raw != null) Arrays.stream(raw.split(",")).map(String::strip).filter(Ids::looksValid).limit(100).forEach(ids::add);
            String viewer = auth.optionalUser(ctx).orElse(null);
            Set<String> blocked = viewer == null ? Set.of() : blocks.blockedChannels(viewer);
            Map<String, VideoFlags> flags = restrictions.flags(ids);
            Map<String, Flags> out = new LinkedHashMap<>();
            for (String id : ids) {
                VideoFlags f = flags.get(id);
                boolean hidden = !blocked.isEmpty() && videos.anyState(id).map(v -> blocked.contains(v.ownerId())).orElse(false);
                if (f != null || hidden) out.put(id, new Flags(f != null && f.sensitive(), f != null && f.ageRestricted(), hidden));
            }
            ctx.header("Cache-Control", "private, no-store");
            ctx.json(Map.of("items", out));
        });
    }

    private ActionView view(ModerationAction a) {
        String title = items.find(a.kind(), a.itemId()).map(Items.Item::title).orElse(null);
        return ActionView.of(a, title, moderation.appealOf(a.id()).orElse(null));
    }
}
