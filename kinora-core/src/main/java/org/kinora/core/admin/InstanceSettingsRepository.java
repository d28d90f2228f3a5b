package org.kinora.core.admin;

import java.time.Instant;
import java.util.Map;

/** Port: the instance settings admins changed, as keys and text values; a key absent is the config default. */
public interface InstanceSettingsRepository {
    Map<String, String> load();

    /** Writes every entry of {@code values} in one transaction. */
    void save(Map<String, String> values, String updatedBy, Instant at);
}
