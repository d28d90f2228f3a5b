package org.kinora.core.moderation;

import java.util.Locale;
import java.util.Optional;

/**
 * What can be reported and acted on. {@code LIVE_CHAT} is a live chat message: reports accept it
 * by id alone (the chat is another capability's), so the queue shows it without a preview.
 * {@code EMAIL_DOMAIN} is not reportable: it names what an admin's domain block acts on in the audit log.
 */
public enum ItemKind {
    VIDEO, COMMENT, CHANNEL, LIVE_CHAT, EMAIL_DOMAIN;

    public boolean reportable() { return this != EMAIL_DOMAIN; }

    public String wireName() { return name().toLowerCase(Locale.ROOT); }

    public static Optional<ItemKind> parse(String value) {
        if (value == null) return Optional.empty();
        for (ItemKind k : values()) if (k.wireName().equals(value.trim().toLowerCase(Locale.ROOT))) return Optional.of(k);
        return Optional.empty();
    }
}
