package org.kinora.core.playback;

import java.util.Map;

/**
 * A video's playback settings: {@code ageRestricted} (the creator's choice or a moderator's
 * action, either one) and {@code protectedContent} (HLS AES-128 and DASH CENC, the creator's choice).
 */
public record PlaybackSettings(boolean ageRestricted, boolean protectedContent) {
    public static final PlaybackSettings NONE = new PlaybackSettings(false, false);

    public boolean isDefault() { return !ageRestricted && !protectedContent; }

    /** Port: the creator's settings per video, and every video's effective settings for the caches. */
    public interface Store {
        /** The creator's own settings (without moderation's). */
        PlaybackSettings creatorSettings(String videoId);

        void save(String videoId, PlaybackSettings creatorSettings);

        /** Every video whose effective settings are not the default: the creator's or'ed with moderation's age restriction. */
        Map<String, PlaybackSettings> allEffective();
    }
}
