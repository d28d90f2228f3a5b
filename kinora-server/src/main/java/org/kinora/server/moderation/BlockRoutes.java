package org.kinora.server.moderation;

import static org.kinora.server.http.ApiRole.IDEMPOTENT;
import static org.kinora.server.http.ApiRole.SIGNED_IN;
import static org.kinora.server.http.ApiRole.WRITE_LIMITED;
import static org.kinora.server.http.Doc.doc;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.kinora.core.account.AccountAdminService;
import org.kinora.core.account.Role;
import org.kinora.core.channel.ChannelService;
import org.kinora.core.common.Clock;
import org.kinora.core.common.KinoraException;
import org.kinora.core.moderation.AuditLog;
import org.kinora.core.moderation.BlockRepository;
import org.kinora.core.moderation.ItemKind;
import org.kinora.server.auth.AuthRoutes;
import org.kinora.server.http.Api;
import org.kinora.server.http.Authenticator;
import org.kinora.server.http.Routes;

/**
 * Blocking: a user hides a channel from themselves; a creator hides a user from their channel's
 * comments; admins refuse sign-ups from an email domain (blocking one user is a suspension
 * without end, in the moderation queue). Domain blocks are audited.
 */
record BlockRoutes(BlockRepository blocks, ChannelService channels, AccountAdminService accounts, AuditLog audit, Clock clock,
                   Authenticator auth) implements Routes {
    record DomainBlock(String domain, String reason) {}

    @Override
    public void register(Api app) {
        app.get("/api/v1/me/blocked-channels", doc("Channels you blocked", SIGNED_IN), ctx ->
                ctx.json(Map.of("items", List.copyOf(blocks.blockedChannels(auth.requireUser(ctx))))));
        app.put("/api/v1/me/blocked-channels/{id}", doc("Block a channel: its videos, comments and notifications disappear for you",
                WRITE_LIMITED, IDEMPOTENT, SIGNED_IN), ctx -> {
            String user = auth.requireUser(ctx);
            String channel = channels.channel(ctx.pathParam("id")).id();
            if (channel.equals(user)) throw KinoraException.badRequest("own_channel", "You cannot block your own channel.");
            blocks.blockChannel(user, channel, clock.now());
            ctx.status(204);
        });
        app.delete("/api/v1/me/blocked-channels/{id}", doc("Unblock a channel", WRITE_LIMITED, IDEMPOTENT, SIGNED_IN), ctx -> {
            blocks.unblockChannel(auth.requireUser(ctx), channels.channel(ctx.pathParam("id")).id());
            ctx.status(204);
        });
        app.get("/api/v1/me/hidden-users", doc("Users you hid from your channel's comments", SIGNED_IN), ctx ->
                ctx.json(Map.of("items", List.copyOf(blocks.hiddenUsers(auth.requireUser(ctx))))));
        app.put("/api/v1/me/hidden-users/{id}", doc("Hide a user from your channel's comments: only they still see what they write there",
                WRITE_LIMITED, IDEMPOTENT, SIGNED_IN), ctx -> {
            String creator = auth.requireUser(ctx);
            String user = channels.channel(ctx.pathParam("id")).id();
            if (user.equals(creator)) throw KinoraException.badRequest("own_channel", "You cannot hide yourself.");
            blocks.hideUser(creator, user, clock.now());
            ctx.status(204);
        });
        app.delete("/api/v1/me/hidden-users/{id}", doc("Show a hidden user's comments again", WRITE_LIMITED, IDEMPOTENT, SIGNED_IN), ctx -> {
            blocks.unhideUser(auth.requireUser(ctx), channels.channel(ctx.pathParam("id")).id());
            ctx.status(204);
        });
        app.get("/api/v1/admin/blocked-domains", doc("Admins: email domains refused at sign-up", SIGNED_IN), ctx -> {
            requireAdmin(auth.requireUser(ctx));
            ctx.json(Map.of("items", blocks.blockedDomains()));
        });
        app.post("/api/v1/admin/blocked-domains", doc("Admins: refuse sign-ups from an email domain (with a reason)",
                WRITE_LIMITED, IDEMPOTENT, SIGNED_IN).body(DomainBlock.class), ctx -> {
            String admin = auth.requireUser(ctx);
            requireAdmin(admin);
            DomainBlock r = AuthRoutes.body(ctx, DomainBlock.class);
            String domain = domain(r.domain());
            String reason = r.reason() == null || r.reason().isBlank() ? null : r.reason().strip();
            if (reason == null) throw KinoraException.badRequest("reason_required", "Say why the domain is blocked.");
            blocks.blockDomain(domain, reason, admin, clock.now());
            audit.append(admin, "block_domain", ItemKind.EMAIL_DOMAIN, domain, reason, "", clock.now());
            ctx.status(201).json(new DomainBlock(domain, reason));
        });
        app.delete("/api/v1/admin/blocked-domains/{domain}", doc("Admins: allow sign-ups from an email domain again",
                WRITE_LIMITED, IDEMPOTENT, SIGNED_IN), ctx -> {
            String admin = auth.requireUser(ctx);
            requireAdmin(admin);
            String domain = domain(ctx.pathParam("domain"));
            blocks.unblockDomain(domain);
            audit.append(admin, "unblock_domain", ItemKind.EMAIL_DOMAIN, domain, "unblocked", "", clock.now());
            ctx.status(204);
        });
    }

    private void requireAdmin(String userId) {
        if (accounts.role(userId) != Role.ADMIN) throw KinoraException.forbidden("Only admins may block email domains.");
    }

    static String domain(String value) {
        String d = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        if (d.startsWith("@")) d = d.substring(1);
        if (!d.matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+")) {
            throw KinoraException.badRequest("invalid_domain", "domain must be a domain name such as spam.example.");
        }
        return d;
    }
}
