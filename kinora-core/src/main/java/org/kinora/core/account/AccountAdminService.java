package org.kinora.core.account;

import org.kinora.core.common.KinoraException;

/** Roles, quotas and preferences: what admins change about accounts, and what users change about their own. */
public final class AccountAdminService {
    private final AccountSettingsRepository settings;
    private final UserRepository users;
    private final java.util.function.LongSupplier defaultQuotaBytes;

    public AccountAdminService(AccountSettingsRepository settings, UserRepository users, long defaultQuotaBytes) {
        this(settings, users, () -> defaultQuotaBytes);
    }

    /** {@code defaultQuotaBytes} is asked at every check: admins change the instance default at run time. */
    public AccountAdminService(AccountSettingsRepository settings, UserRepository users, java.util.function.LongSupplier defaultQuotaBytes) {
        this.settings = settings;
        this.users = users;
        this.defaultQuotaBytes = defaultQuotaBytes;
    }

    /** An account's role, quota in force and usage. */
    public record Usage(AccountSettings settings, long quotaBytes, long usedBytes) {}

    public AccountSettings settings(String userId) {
        return settings.find(userId).orElseThrow(() -> KinoraException.notFound("Account"));
    }

    public Role role(String userId) {
        return userId == null ? Role.USER : settings.find(userId).map(AccountSettings::role).orElse(Role.USER);
    }

    public Usage usage(String userId) {
        AccountSettings s = settings(userId);
        return new Usage(s, quotaOf(s), settings.uploadedBytes(userId));
    }

    /** -1 = unlimited. */
    long quotaOf(AccountSettings s) {
        return s.uploadQuotaBytes() == null ? defaultQuotaBytes.getAsLong() : s.uploadQuotaBytes();
    }

    /** Admins only. {@code role} or {@code quotaBytes} may be null to leave it; {@code resetQuota} returns to the default. */
    public Usage update(String adminId, String userId, Role role, Long quotaBytes, boolean resetQuota) {
        if (role(adminId) != Role.ADMIN) throw KinoraException.forbidden("Only admins may change roles and quotas.");
        if (users.findById(userId).isEmpty()) throw KinoraException.notFound("Account");
        if (quotaBytes != null && quotaBytes < -1) {
            throw KinoraException.badRequest("invalid_quota", "upload_quota_bytes must be -1 (unlimited) or a number of bytes.");
        }
        if (role != null) {
            if (adminId.equals(userId) && role != Role.ADMIN) {
                throw KinoraException.badRequest("cannot_demote_self", "Admins cannot remove their own admin role; ask another admin.");
            }
            settings.setRole(userId, role);
        }
        if (resetQuota) settings.setUploadQuota(userId, null);
        else if (quotaBytes != null) settings.setUploadQuota(userId, quotaBytes);
        return usage(userId);
    }

    public void setHistoryPaused(String userId, boolean paused) {
        settings.setHistoryPaused(userId, paused);
    }
}
