package org.kinora.core.account;

import java.util.Optional;

/** Port: roles, quotas and preferences of accounts. */
public interface AccountSettingsRepository {
    Optional<AccountSettings> find(String userId);

    void setRole(String userId, Role role);

    /** {@code null} returns the account to the instance default. */
    void setUploadQuota(String userId, Long bytes);

    void setHistoryPaused(String userId, boolean paused);

    /** Bytes of originals the user has uploaded or is uploading, deleted videos excluded. */
    long uploadedBytes(String userId);

    /** Serialises quota checks of one user within the caller's transaction. */
    void lockForUpload(String userId);
}
