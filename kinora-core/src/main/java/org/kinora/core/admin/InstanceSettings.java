package org.kinora.core.admin;

import java.util.Locale;
import java.util.Optional;

/**
 * What admins set for the whole instance at run time, over the config file's defaults:
 * who may sign up, the default upload quota (bytes, -1 unlimited) and the write budget per
 * caller per minute.
 */
public record InstanceSettings(SignUps signUps, long uploadQuotaBytes, int writesPerMinute) {
    /** Open: anyone signs up. Approval: accounts wait for an admin before they can sign in. Closed: no new accounts. */
    public enum SignUps {
        OPEN, APPROVAL, CLOSED;

        public String wireName() { return name().toLowerCase(Locale.ROOT); }

        public static Optional<SignUps> parse(String value) {
            if (value == null) return Optional.empty();
            for (SignUps s : values()) if (s.wireName().equals(value.trim().toLowerCase(Locale.ROOT))) return Optional.of(s);
            return Optional.empty();
        }
    }

    static final String SIGN_UPS = "signups";
    static final String UPLOAD_QUOTA = "upload_quota_bytes";
    static final String WRITES_PER_MINUTE = "writes_per_minute";
}
