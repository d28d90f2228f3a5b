package org.kinora.server.protection;

import org.kinora.server.feature.Contributions;
import org.kinora.server.feature.Feature;
import org.kinora.server.feature.Platform;
import org.kinora.server.feature.SharedServices;

/**
 * Who may play what and how it is delivered (issue 17): age-restricted videos for signed-in
 * adults only, and optional content protection (HLS AES-128, DASH CENC with a ClearKey licence),
 * see docs/content-protection.md. The gate and the protected media are shared services (the video
 * views and the origin consult them); this feature keeps their settings fresh and adds the routes.
 */
public record ProtectionFeature(Platform p, SharedServices shared) implements Feature {
    @Override
    public void contribute(Contributions c) {
        c.every("playback-settings", java.time.Duration.ZERO, java.time.Duration.ofSeconds(1), shared.playbackSettings::refresh);
        c.routes(new ProtectionRoutes(shared.playbackGate, shared.playbackSettings, shared.birthDates, shared.protectedMedia,
                shared.playbackTokens, shared.videos, shared.auth, p.clock(), p.config().delivery().contentProtection()));
    }
}
