package org.kinora.server.moderation;

import static org.kinora.server.http.ApiRole.IDEMPOTENT;
import static org.kinora.server.http.ApiRole.SIGNED_IN;
import static org.kinora.server.http.ApiRole.WRITE_LIMITED;
import static org.kinora.server.http.Doc.doc;

import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kinora.core.common.Cursors;
import org.kinora.core.common.KinoraException;
import org.kinora.core.common.Page;
import org.kinora.core.moderation.ActionKind;
import org.kinora.core.moderation.Appeal;
import org.kinora.core.moderation.ItemKind;
import org.kinora.core.moderation.Items;
import org.kinora.core.moderation.ModerationAction;
import org.kinora.core.moderation.ModerationService;
import org.kinora.core.moderation.QueueEntry;
import org.kinora.core.moderation.QueueSort;
import org.kinora.core.moderation.Report;
import org.kinora.core.moderation.ReportRepository;
import org.kinora.core.moderation.RestrictionRepository;
import org.kinora.core.moderation.Restrictions;
import org.kinora.core.moderation.VideoFlags;
import org.kinora.server.auth.AuthRoutes;
import org.kinora.server.http.Api;
import org.kinora.server.http.Authenticator;
import org.kinora.server.http.Params;
import org.kinora.server.http.Routes;

/**
 * The moderation queue (moderators and admins): open reports grouped by item with the item
 * itself, open appeals, and the actions. Everyone else gets 403.
 */
record QueueRoutes(ModerationService moderation, ReportRepository reports, Items items, Restrictions restrictions,
                   RestrictionRepository restrictionStore, Authenticator auth) implements Routes {
    static final int MAX_PAGE = 100;

    record ItemView(String kind, String id, String title, String ownerId, String parentId, VideoFlagsView flags) {}

    record VideoFlagsView(boolean takenDown, String takedownReason, boolean held, String holdReason, boolean ageRestricted,
                          boolean sensitive, String comments) {
        static VideoFlagsView of(VideoFlags f) {
            return new VideoFlagsView(f.takenDown(), f.takedownReason(), f.held(), f.holdReason(), f.ageRestricted(), f.sensitive(),
                    f.comments().wireName());
        }
    }

    record ReportLine(String reason, String note, Double atSeconds, Instant createdAt) {}

    record Entry(String kind, String itemId, int count, Instant firstAt, Instant lastAt, Map<String, Integer> reasons, Double atSeconds,
                 ItemView item, List<ReportLine> latest) {}

    /** A cursor page ({@code next_cursor} null on the last); {@code held}: videos waiting for approval (on the first page only). */
    record QueueView(List<Entry> items, String nextCursor, List<HeldView> held) {}

    record HeldView(ItemView item, String reason, Instant heldAt) {}

    record ActionRequest(String kind, String itemId, String action, String reason, Boolean severe, Integer days) {}

    record Decision(String decision, String reason) {}

    record AppealView(String actionId, String message, String status, Instant createdAt, ActionView action, ItemView item,
                      String decisionReason, Instant decidedAt) {}

    @Override
    public void register(Api app) {
        app.get("/api/v1/admin/moderation/queue", doc("Moderators: open reports grouped by item (sort=newest|most_reported, cursor, limit; next_cursor pages on)",
                SIGNED_IN), this::queue);
        app.post("/api/v1/admin/moderation/actions", doc("Moderators: act on an item (dismiss, remove, age_restrict, mark_sensitive, warn, strike, suspend, approve); a reason is required",
                WRITE_LIMITED, IDEMPOTENT, SIGNED_IN).body(ActionRequest.class), ctx -> {
            String moderator = auth.requireUser(ctx);
            ActionRequest r = AuthRoutes.body(ctx, ActionRequest.class);
            ItemKind kind = kind(r.kind());
            ActionKind action = ActionKind.parse(r.action()).orElseThrow(() -> KinoraException.badRequest("invalid_action",
                    "action must be one of dismiss, remove, age_restrict, mark_sensitive, warn, strike, suspend, approve."));
            ModerationAction done = moderation.act(moderator, new ModerationService.Request(kind, r.itemId(), action, r.reason(),
                    Boolean.TRUE.equals(r.severe()), r.days()));
            ctx.status(201).json(ActionView.of(done, null, null));
        });
        app.get("/api/v1/admin/moderation/appeals", doc("Moderators: open appeals, oldest first", SIGNED_IN), ctx -> {
            String moderator = auth.requireUser(ctx);
            List<AppealView> out = moderation.openAppeals(moderator, MAX_PAGE).stream().map(this::appealView).toList();
            ctx.header("Cache-Control", "no-store");
            ctx.json(new org.kinora.server.http.ListResponse<>(out, null));
        });
        app.post("/api/v1/admin/moderation/appeals/{actionId}", doc("Moderators: accept (undo the action) or reject an appeal, with a reason",
                WRITE_LIMITED, IDEMPOTENT, SIGNED_IN).body(Decision.class), ctx -> {
            String moderator = auth.requireUser(ctx);
            Decision d = AuthRoutes.body(ctx, Decision.class);
            if (!"accept".equals(d.decision()) && !"reject".equals(d.decision())) {
                throw KinoraException.badRequest("invalid_decision", "decision must be accept or reject.");
            }
            ctx.json(appealView(moderation.decide(moderator, ctx.pathParam("actionId"), d.decision().equals("accept"), d.reason())));
        });
    }

    static ItemKind kind(String value) {
        return ItemKind.parse(value).orElseThrow(() -> KinoraException.badRequest("invalid_kind",
                "kind must be video, comment, channel or live_chat."));
    }

    private void queue(Context ctx) {
        String moderator = auth.requireUser(ctx);
        moderation.requireModerator(moderator);
        QueueSort sort = QueueSort.parse(ctx.queryParam("sort")).orElseThrow(() -> KinoraException.badRequest("invalid_sort",
                "sort must be newest or most_reported."));
        int limit = Params.limit(ctx, 20, MAX_PAGE);
        Optional<QueueEntry.After> after = Params.cursor(ctx).map(QueueRoutes::after);
        Page<QueueEntry.Reported> page = Page.of(reports.openItems(sort, Page.fetchSize(limit), after), limit,
                last -> Cursors.encode(last.count(), last.lastAt(), last.kind().wireName(), last.itemId()));
        List<Entry> entries = page.items().stream().map(e -> new Entry(e.kind().wireName(), e.itemId(), e.count(), e.firstAt(),
                e.lastAt(), e.reasons(), e.atSeconds(), item(e.kind(), e.itemId()),
                reports.openReports(e.kind(), e.itemId(), 5).stream().map(QueueRoutes::line).toList())).toList();
        ctx.header("Cache-Control", "no-store");
        List<HeldView> held = after.isPresent() ? List.of() : restrictionStore.heldVideos(MAX_PAGE).stream()
                .map(f -> new HeldView(item(ItemKind.VIDEO, f.videoId()), f.holdReason(), f.heldAt())).toList();
        ctx.json(new QueueView(entries, page.nextCursorOrNull(), held));
    }

    private static ReportLine line(Report r) {
        return new ReportLine(r.reason().wireName(), r.note(), r.atSeconds(), r.createdAt());
    }

    private static QueueEntry.After after(String cursor) {
        Cursors.Fields f = Cursors.decode(cursor, 4);
        return new QueueEntry.After(f.integer(0), f.instant(1), ItemKind.parse(f.text(2)).orElseThrow(Cursors::invalid), f.text(3));
    }

    ItemView item(ItemKind kind, String id) {
        return items.find(kind, id).map(i -> new ItemView(kind.wireName(), id, i.title(), i.ownerId(), i.parentId(),
                kind == ItemKind.VIDEO ? VideoFlagsView.of(restrictions.flags(id)) : null))
                .orElse(new ItemView(kind.wireName(), id, null, null, null, null));
    }

    private AppealView appealView(Appeal a) {
        ModerationAction action = moderation.action(a.actionId()).orElseThrow();
        return new AppealView(a.actionId(), a.message(), a.status(), a.createdAt(), ActionView.of(action, null, null),
                item(action.kind(), action.itemId()), a.decisionReason(), a.decidedAt());
    }
}
