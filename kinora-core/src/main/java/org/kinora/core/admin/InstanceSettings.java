package org.kinora.core.admin;

import org.kinora.core.moderation.HoldPolicy;

import java.util.Locale;
import java.util.Optional;

/**
 * What admins set for the whole instance at run time, over the config file's defaults:
 * who may sign up, the default upload quota (bytes, -1 unlimited), the write budget per
 * caller per minute, and the holds before publication (new accounts' uploads, keywords).
 */
public record InstanceSettings(SignUps signUps, long uploadQuotaBytes, int writesPerMinute, HoldPolicy holds) {
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
    static final String HOLD_NEW_ACCOUNT_DAYS = "hold_new_account_days";
    static final String HOLD_UNTIL_PUBLISHED = "hold_until_published";
    /** Comma-separated, as in the config file. */
    static final String HOLD_KEYWORDS = "hold_keywords";
    static final String HOLD_VIDEOS_BY_KEYWORD = "hold_videos_by_keyword";

    /** An admin's change to the holds; null fields stay as they are ({@code keywords}: comma-separated, "" for none). */
    public record HoldsPatch(Integer newAccountDays, Integer untilPublished, String keywords, Boolean videosByKeyword) {
        public static final HoldsPatch NONE = new HoldsPatch(null, null, null, null);
    }
}
