package org.kinora.core.moderation;

import java.util.Locale;
import java.util.Optional;

/** The fixed list a reporter picks from (free text goes with it in the report's note). */
public enum ReportReason {
    SPAM("Spam or misleading"),
    SEXUAL("Sexual content"),
    VIOLENT("Violent or repulsive content"),
    HATEFUL("Hateful or abusive content"),
    HARASSMENT("Harassment or bullying"),
    DANGEROUS("Harmful or dangerous acts"),
    CHILD_SAFETY("Child abuse"),
    MISINFORMATION("Misinformation"),
    COPYRIGHT("Infringes my rights"),
    PRIVACY("Private information"),
    OTHER("Something else");

    private final String label;

    ReportReason(String label) { this.label = label; }

    public String label() { return label; }

    public String wireName() { return name().toLowerCase(Locale.ROOT); }

    public static Optional<ReportReason> parse(String value) {
        if (value == null) return Optional.empty();
        for (ReportReason r : values()) if (r.wireName().equals(value.trim().toLowerCase(Locale.ROOT))) return Optional.of(r);
        return Optional.empty();
    }
}
