package org.kinora.core.moderation;

import java.util.Locale;
import java.util.Optional;

/**
 * What can be reported and acted on. {@code LIVE_CHAT} is a live chat message: reports accept it
 * by id alone (the chat is another capability's), so the queue shows it without a preview.
 * {@code EMAIL_DOMAIN}, {@code ACCOUNT}, {@code JOB}, {@code JOB_KIND} and {@code INSTANCE} are not
 * reportable: they name what admin actions (domain blocks, suspensions, job replays, settings) act on
 * in the audit log.
 */
public enum ItemKind {
    VIDEO, COMMENT, CHANNEL, LIVE_CHAT, EMAIL_DOMAIN, ACCOUNT, JOB, JOB_KIND, INSTANCE;

    public boolean reportable() { return this == VIDEO || this == COMMENT || this == CHANNEL || this == LIVE_CHAT; }

    public String wireName() { return name().toLowerCase(Locale.ROOT); }

    public static Optional<ItemKind> parse(String value) {
        if (value == null) return Optional.empty();
        for (ItemKind k : values()) if (k.wireName().equals(value.trim().toLowerCase(Locale.ROOT))) return Optional.of(k);
        return Optional.empty();
    }
}
