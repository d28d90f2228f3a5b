package org.kinora.core.account;

import java.util.Map;
import org.kinora.core.common.ErrorKind;
import org.kinora.core.common.KinoraException;
import org.kinora.core.upload.UploadQuota;

/**
 * The per-user quota on bytes uploaded (originals), checked when an upload is created, inside
 * the creating transaction and under a per-user lock so that two parallel creations cannot both
 * squeeze under the limit.
 */
public final class UploadQuotaPolicy implements UploadQuota {
    private final AccountSettingsRepository settings;
    private final AccountAdminService accounts;

    public UploadQuotaPolicy(AccountSettingsRepository settings, AccountAdminService accounts) {
        this.settings = settings;
        this.accounts = accounts;
    }

    @Override
    public void check(String ownerId, long length) {
        settings.lockForUpload(ownerId);
        AccountSettings s = accounts.settings(ownerId);
        long quota = accounts.quotaOf(s);
        if (quota < 0) return;
        long used = settings.uploadedBytes(ownerId);
        if (used + length > quota) {
            throw new KinoraException(ErrorKind.PAYLOAD_TOO_LARGE, "quota_exceeded",
                    "This upload (" + length + " bytes) would take you past your upload quota: " + used + " of " + quota
                            + " bytes are used. Delete videos you no longer need or ask an admin for more space.",
                    Map.of("quota_bytes", quota, "used_bytes", used, "requested_bytes", length));
        }
    }
}
