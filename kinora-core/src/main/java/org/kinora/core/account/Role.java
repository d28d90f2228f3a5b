package org.kinora.core.account;

import java.util.Locale;
import java.util.Optional;

/** What an account may do beyond its own content: moderators remove anyone's comments; admins also manage accounts. */
public enum Role {
    USER, MODERATOR, ADMIN;

    public String wireName() { return name().toLowerCase(Locale.ROOT); }

    public boolean canModerate() { return this != USER; }

    public static Optional<Role> parse(String value) {
        if (value == null) return Optional.empty();
        for (Role r : values()) if (r.wireName().equals(value.trim().toLowerCase(Locale.ROOT))) return Optional.of(r);
        return Optional.empty();
    }
}
