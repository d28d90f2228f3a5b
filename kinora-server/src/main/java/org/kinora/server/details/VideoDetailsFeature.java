package org.kinora.server.details;

import java.time.Duration;
import org.kinora.adapters.postgres.PgVideoDetailsRepository;
import org.kinora.core.details.VideoDetailsService;
import org.kinora.server.feature.Contributions;
import org.kinora.server.feature.Feature;
import org.kinora.server.feature.Platform;
import org.kinora.server.feature.SharedServices;

/**
 * Video details (issue 19): category, language, licence, chapters and scheduled publication,
 * edited in Studio, and the chapters viewers see (JSON and WebVTT). A task makes scheduled
 * videos public when their time comes; it runs on every serving node, and the conditional
 * clear in {@link VideoDetailsService#publishDue} lets only one of them publish each video.
 */
public record VideoDetailsFeature(Platform p, SharedServices shared) implements Feature {
    /** How late a scheduled video may turn public at most (plus one run's duration). */
    static final Duration PUBLISH_CHECK = Duration.ofSeconds(5);

    @Override
    public void contribute(Contributions c) {
        VideoDetailsService details = new VideoDetailsService(shared.videos, new PgVideoDetailsRepository(p.engines().database()),
                p.engines().database(), p.engines().events(), p.clock());
        c.routes(new VideoDetailsRoutes(details, shared.auth));
        c.every("scheduled-publication", Duration.ofSeconds(2), PUBLISH_CHECK, details::publishDue);
    }
}
