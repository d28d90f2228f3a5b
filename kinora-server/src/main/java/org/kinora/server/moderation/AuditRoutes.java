package org.kinora.server.moderation;

import static org.kinora.server.http.Doc.doc;
import static org.kinora.server.http.ApiRole.SIGNED_IN;

import io.javalin.http.Context;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.kinora.core.account.AccountService;
import java.util.Optional;
import org.kinora.core.common.Cursors;
import org.kinora.core.common.KinoraException;
import org.kinora.core.common.Page;
import org.kinora.core.moderation.AuditEntry;
import org.kinora.core.moderation.AuditLog;
import org.kinora.core.moderation.ItemKind;
import org.kinora.core.moderation.ModerationService;
import org.kinora.server.http.Api;
import org.kinora.server.http.Authenticator;
import org.kinora.server.http.ListResponse;
import org.kinora.server.http.Params;
import org.kinora.server.http.Routes;

/** The audit log for moderators and admins: searchable by item and by actor, and as CSV. */
record AuditRoutes(AuditLog audit, ModerationService moderation, AccountService accounts, Authenticator auth) implements Routes {
    static final int MAX_PAGE = 200;
    static final int MAX_CSV_ROWS = 100_000;

    record Filter(Optional<String> actor, Optional<ItemKind> kind, Optional<String> item) {}

    /** A line as the page shows it: the actor's name beside their id. */
    record Line(long id, Instant at, String actorId, String actorName, String action, String kind, String itemId, String reason,
                String details) {}

    @Override
    public void register(Api app) {
        app.get("/api/v1/admin/audit", doc("Moderators: the audit log, newest first (actor=, kind=, item=, cursor=, limit=)", SIGNED_IN), ctx -> {
            moderation.requireModerator(auth.requireUser(ctx));
            Filter f = filter(ctx);
            int limit = Params.limit(ctx, 50, MAX_PAGE);
            Optional<Long> before = Params.cursor(ctx).map(s -> Cursors.decode(s, 1).longValue(0));
            Page<AuditEntry> page = Page.of(audit.search(f.actor(), f.kind(), f.item(), before, Page.fetchSize(limit)), limit,
                    last -> Cursors.encode(last.id()));
            ctx.header("Cache-Control", "no-store");
            Map<String, String> names = accounts.usernames(page.items().stream().map(AuditEntry::actorId).collect(Collectors.toSet()));
            ctx.json(new ListResponse<>(page.items().stream().map(e -> new Line(e.id(), e.at(), e.actorId(), names.get(e.actorId()), e.action(),
                    e.kind().wireName(), e.itemId(), e.reason(), e.details())).toList(), page.nextCursorOrNull()));
        });
        app.get("/api/v1/admin/audit.csv", doc("Moderators: the audit log as CSV (same filters)", SIGNED_IN), ctx -> {
            moderation.requireModerator(auth.requireUser(ctx));
            Filter f = filter(ctx);
            ctx.contentType("text/csv; charset=utf-8");
            ctx.header("Content-Disposition", "attachment; filename=\"kinora-audit.csv\"");
            ctx.header("Cache-Control", "no-store");
            PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(ctx.res().getOutputStream(), StandardCharsets.UTF_8));
            out.print("id,at,actor_id,action,item_kind,item_id,reason,details\r\n");
            Optional<Long> before = Optional.empty();
            int written = 0;
            while (written < MAX_CSV_ROWS) { // pages of 1000 rows, so a long log never sits in memory at once
                List<AuditEntry> page = audit.search(f.actor(), f.kind(), f.item(), before, 1000);
                for (AuditEntry e : page) {
                    out.print(e.id() + "," + e.at() + "," + csvId(e.actorId()) + "," + csv(e.action()) + "," + e.kind().wireName() + ","
                            + csvId(e.itemId()) + "," + csv(e.reason()) + "," + csv(e.details()) + "\r\n");
                }
                written += page.size();
                if (page.size() < 1000) break;
                before = Optional.of(page.getLast().id());
            }
            out.flush();
        });
    }

    private static Filter filter(Context ctx) {
        Optional<ItemKind> kind = Optional.ofNullable(ctx.queryParam("kind")).filter(s -> !s.isBlank())
                .map(s -> ItemKind.parse(s).orElseThrow(() -> KinoraException.badRequest("invalid_kind",
                        "kind must be video, comment, channel or live_chat.")));
        return new Filter(param(ctx, "actor"), kind, param(ctx, "item"));
    }

    private static Optional<String> param(Context ctx, String name) {
        return Optional.ofNullable(ctx.queryParam(name)).map(String::strip).filter(s -> !s.isEmpty());
    }

    /**
     * An identifier Kinora generated (letters, digits, '-' and '_') is written as it is, even when it starts
     * with '-': nobody chooses it, and without parentheses, '!' or '|' a spreadsheet cannot make a call or a
     * link of it, while a ' in front would make the exported id differ from the real one. Anything else goes
     * through {@link #csv}.
     */
    private static final java.util.regex.Pattern GENERATED_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");

    static String csvId(String value) {
        if (value != null && GENERATED_ID.matcher(value).matches()) return value;
        return csv(value);
    }

    /** RFC 4180 quoting; a leading =, +, - or @ is prefixed with ' so a spreadsheet does not run it as a formula. */
    static String csv(String value) {
        if (value == null) return "";
        String v = value;
        if (!v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0) v = "'" + v;
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r") || !v.equals(value)) {
            return "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }
}
