package org.kinora.core.moderation;

import java.time.Instant;

/**
 * An account's standing at one instant. {@code activeStrikes}: strikes less than 90 days old;
 * {@code frozenUntil}: uploading and going live are refused until then (null: not frozen);
 * {@code suspendedUntil}: a moderator's suspension (null: none; {@link Instant#MAX}: no end).
 */
public record Standing(boolean warned, int activeStrikes, Instant frozenUntil, Instant suspendedUntil, boolean terminated) {
    public static final Standing GOOD = new Standing(false, 0, null, null, false);

    /** Whether the account may upload or go live at {@code now}, and if not, why. */
    public String refusal(Instant now) {
        if (terminated) return "This channel was terminated for repeated or severe violations of the community guidelines.";
        if (suspendedUntil != null && suspendedUntil.isAfter(now)) {
            return suspendedUntil.equals(Instant.MAX) ? "This account is suspended."
                    : "This account is suspended until " + suspendedUntil + ".";
        }
        if (frozenUntil != null && frozenUntil.isAfter(now)) {
            return "Uploading and going live are paused until " + frozenUntil + " because this channel has active strikes.";
        }
        return null;
    }
}
