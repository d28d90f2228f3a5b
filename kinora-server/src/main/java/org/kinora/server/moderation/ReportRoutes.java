package org.kinora.server.moderation;

import static org.kinora.server.http.ApiRole.IDEMPOTENT;
import static org.kinora.server.http.ApiRole.SIGNED_IN;
import static org.kinora.server.http.ApiRole.WRITE_LIMITED;
import static org.kinora.server.http.Doc.doc;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.kinora.core.common.KinoraException;
import org.kinora.core.moderation.ItemKind;
import org.kinora.core.moderation.Report;
import org.kinora.core.moderation.ReportReason;
import org.kinora.core.moderation.ReportService;
import org.kinora.server.auth.AuthRoutes;
import org.kinora.server.http.Api;
import org.kinora.server.http.Authenticator;
import org.kinora.server.http.Routes;

/** Reporting a video (at a moment), a comment, a channel or a live chat message, and reading what came of one's reports. */
record ReportRoutes(ReportService reports, Authenticator auth) implements Routes {
    record NewReport(String kind, String itemId, String reason, String note, Double atSeconds) {}

    record ReportView(String id, String kind, String itemId, String reason, String note, Double atSeconds, String status,
                      String outcome, Instant createdAt, Instant resolvedAt) {
        static ReportView of(Report r) {
            return new ReportView(r.id(), r.kind().wireName(), r.itemId(), r.reason().wireName(), r.note(), r.atSeconds(), r.status(),
                    r.outcome(), r.createdAt(), r.resolvedAt());
        }
    }

    record ReasonView(String value, String label) {}

    @Override
    public void register(Api app) {
        app.get("/api/v1/reports/reasons", doc("The reasons a report may give"), ctx -> ctx.json(Arrays.stream(ReportReason.values())
                .map(r -> new ReasonView(r.wireName(), r.label())).toList()));
        app.post("/api/v1/reports", doc("Report a video (with at_seconds), a comment, a channel or a live chat message",
                WRITE_LIMITED, IDEMPOTENT, SIGNED_IN).body(NewReport.class), ctx -> {
            String user = auth.requireUser(ctx);
            NewReport r = AuthRoutes.body(ctx, NewReport.class);
            ItemKind kind = ItemKind.parse(r.kind()).orElseThrow(() -> KinoraException.badRequest("invalid_kind",
                    "kind must be video, comment, channel or live_chat."));
            ReportReason reason = ReportReason.parse(r.reason()).orElseThrow(() -> KinoraException.badRequest("invalid_reason",
                    "reason must be one of " + Arrays.stream(ReportReason.values()).map(ReportReason::wireName).toList()
                            + " (GET /api/v1/reports/reasons)."));
            ctx.status(201).json(ReportView.of(reports.report(user, kind, r.itemId(), reason, r.note(), r.atSeconds())));
        });
        app.get("/api/v1/me/reports", doc("Your reports and their outcomes, newest first", SIGNED_IN), ctx -> {
            List<ReportView> mine = reports.mine(auth.requireUser(ctx)).stream().map(ReportView::of).toList();
            ctx.header("Cache-Control", "no-store");
            ctx.json(new org.kinora.server.http.ListResponse<>(mine, null));
        });
    }
}
