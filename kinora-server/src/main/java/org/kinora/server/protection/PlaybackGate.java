package org.kinora.server.protection;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import org.kinora.core.common.Clock;
import org.kinora.core.common.ErrorKind;
import org.kinora.core.common.KinoraException;
import org.kinora.core.playback.AgeRule;
import org.kinora.core.playback.BirthDates;
import org.kinora.core.video.Video;

/**
 * Who may play a video beyond its privacy: age-restricted videos need a signed-in adult (the
 * owner always may). {@link org.kinora.server.videos.VideoViews} asks before it mints a playback
 * token, so CDN edges, which check only the token, never see one for an ineligible viewer; the
 * video API and the origin ask again (a token minted before the video was restricted).
 * Unrestricted videos cost a map lookup; restricted ones one primary-key read of the viewer's
 * date of birth.
 */
public final class PlaybackGate {
    private final PlaybackSettingsCache settings;
    private final BirthDates birthDates;
    private final Clock clock;
    private final boolean protectionEnabled;
    private final String dashScheme;

    /** @param dashScheme {@code delivery.dash-encryption-scheme}: "cenc" or "cbcs" */
    public PlaybackGate(PlaybackSettingsCache settings, BirthDates birthDates, Clock clock, boolean protectionEnabled, String dashScheme) {
        this.settings = settings;
        this.birthDates = birthDates;
        this.clock = clock;
        this.protectionEnabled = protectionEnabled;
        this.dashScheme = Cenc.Scheme.valueOf(dashScheme.toUpperCase(java.util.Locale.ROOT)).fourcc;
    }

    /** Where a protected video's MPD is, under its media prefix: in the scheme the instance chose. */
    public String protectedDashManifest() {
        return dashScheme + "/" + org.kinora.core.blob.BlobKeys.DASH_MANIFEST;
    }

    /** Why {@code viewerId} (null: anonymous) may not play {@code video}, if they may not. */
    public Optional<AgeRule.Refusal> refusal(Video video, String viewerId) {
        if (!settings.find(video.id()).ageRestricted()) return Optional.empty();
        boolean owner = video.isOwnedBy(viewerId);
        Optional<LocalDate> birthDate = viewerId == null || owner ? Optional.empty() : birthDates.find(viewerId);
        return AgeRule.refusal(true, owner, viewerId, birthDate, LocalDate.ofInstant(clock.now(), ZoneOffset.UTC));
    }

    /** Whether the video is served encrypted (the creator asked and the instance allows it). */
    public boolean isProtected(String videoId) {
        return protectionEnabled && settings.find(videoId).protectedContent();
    }

    public boolean ageRestricted(String videoId) {
        return settings.find(videoId).ageRestricted();
    }

    static KinoraException refused(AgeRule.Refusal r) {
        return new KinoraException(ErrorKind.FORBIDDEN, r.code(), r.message(), java.util.Map.of("age_restricted", true));
    }
}
