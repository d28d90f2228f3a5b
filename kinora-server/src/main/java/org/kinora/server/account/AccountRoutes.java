package org.kinora.server.account;

import static org.kinora.server.http.ApiRole.ADMIN;
import static org.kinora.server.http.ApiRole.IDEMPOTENT;
import static org.kinora.server.http.ApiRole.SIGNED_IN;
import static org.kinora.server.http.ApiRole.WRITE_LIMITED;
import static org.kinora.server.http.Doc.doc;

import org.kinora.core.account.AccountAdminService;
import org.kinora.core.account.Role;
import org.kinora.core.account.User;
import org.kinora.core.account.UserRepository;
import org.kinora.core.channel.ChannelService;
import org.kinora.core.common.KinoraException;
import org.kinora.server.auth.AuthRoutes;
import org.kinora.server.channels.ChannelView;
import org.kinora.server.http.Api;
import org.kinora.server.http.Authenticator;
import org.kinora.server.http.Routes;

/** {@code GET /api/v1/me} (who am I, my channel, role, quota) and admin changes to roles and quotas. */
public final class AccountRoutes implements Routes {
    private final AccountAdminService accounts;
    private final UserRepository users;
    private final ChannelService channels;
    private final Authenticator auth;

    public AccountRoutes(AccountAdminService accounts, UserRepository users, ChannelService channels, Authenticator auth) {
        this.accounts = accounts;
        this.users = users;
        this.channels = channels;
        this.auth = auth;
    }

    record Quota(long quotaBytes, long usedBytes) {}

    record MeView(String id, String username, String email, String role, ChannelView channel, Quota uploadQuota,
                  boolean historyPaused) {}

    record AccountView(String id, String username, String role, Long uploadQuotaBytes, Quota uploadQuota) {}

    /** {@code upload_quota_bytes}: bytes, -1 for unlimited; {@code reset_quota: true} returns to the instance default. */
    record AdminPatch(String role, Long uploadQuotaBytes, Boolean resetQuota) {}

    @Override
    public void register(Api app) {
        app.get("/api/v1/me", doc("The caller's account: channel, role, upload quota and history setting", SIGNED_IN), ctx -> {
            String id = auth.requireUser(ctx);
            User u = users.findById(id).orElseThrow(() -> KinoraException.notFound("Account"));
            var usage = accounts.usage(id);
            ctx.json(new MeView(u.id(), u.username(), u.email(), usage.settings().role().wireName(),
                    ChannelView.of(channels.details(id, null)), new Quota(usage.quotaBytes(), usage.usedBytes()),
                    usage.settings().historyPaused()));
        });
        app.patch("/api/v1/admin/users/{id}", doc("Admins: change an account's role or upload quota", WRITE_LIMITED, IDEMPOTENT, SIGNED_IN, ADMIN).body(AdminPatch.class), ctx -> {
            String admin = auth.requireUser(ctx);
            AdminPatch r = AuthRoutes.body(ctx, AdminPatch.class);
            Role role = r.role() == null ? null : Role.parse(r.role()).orElseThrow(() -> KinoraException.badRequest("invalid_role",
                    "role must be user, moderator or admin."));
            var usage = accounts.update(admin, ctx.pathParam("id"), role, r.uploadQuotaBytes(), Boolean.TRUE.equals(r.resetQuota()));
            User u = users.findById(ctx.pathParam("id")).orElseThrow();
            ctx.json(new AccountView(u.id(), u.username(), usage.settings().role().wireName(), usage.settings().uploadQuotaBytes(),
                    new Quota(usage.quotaBytes(), usage.usedBytes())));
        });
    }
}
