package org.kinora.server.captions;

import java.util.Set;
import org.kinora.adapters.postgres.PgCaptionRepository;
import org.kinora.core.caption.CaptionService;
import org.kinora.core.events.EventType;
import org.kinora.media.packaging.StoredCaptionManifests;
import org.kinora.server.feature.Contributions;
import org.kinora.server.feature.Feature;
import org.kinora.server.feature.Platform;
import org.kinora.server.feature.SharedServices;

/**
 * Captions (issue 19): upload, replace, delete and download caption tracks, listed in the HLS
 * master (SUBTITLES group) and the MPD (text AdaptationSets). The transcoder writes manifests
 * without them, so after a video is published or processed the consumer {@code captions} lists
 * the tracks again (idempotent: the rewrite replaces whatever tracks were there).
 */
public record CaptionsFeature(Platform p, SharedServices shared) implements Feature {
    @Override
    public void contribute(Contributions c) {
        var engines = p.engines();
        CaptionService captions = new CaptionService(shared.videos, new PgCaptionRepository(engines.database()), engines.blobs(),
                new StoredCaptionManifests(engines.blobs()), engines.database(), engines.events(), p.clock());
        c.routes(new CaptionRoutes(captions, shared.auth));
        c.consume("captions", Set.of(EventType.VIDEO_PUBLISHED, EventType.VIDEO_PROCESSED),
                event -> captions.republish(event.subjectId()));
    }
}
