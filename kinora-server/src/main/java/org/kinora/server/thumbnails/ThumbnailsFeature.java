package org.kinora.server.thumbnails;

import java.util.Set;
import org.kinora.adapters.image.ImageIoProcessor;
import org.kinora.core.events.EventType;
import org.kinora.media.ffmpeg.Ffmpeg;
import org.kinora.media.ffmpeg.MediaProbe;
import org.kinora.media.packaging.ThumbnailFrames;
import org.kinora.server.config.KinoraConfig;
import org.kinora.server.feature.Contributions;
import org.kinora.server.feature.Feature;
import org.kinora.server.feature.Platform;
import org.kinora.server.feature.SharedServices;

/**
 * Chosen thumbnails (issue 19). Processing writes its own poster when it starts; the consumer
 * {@code thumbnails} puts the creator's choice back after a video is published or processed.
 */
public record ThumbnailsFeature(Platform p, SharedServices shared) implements Feature {
    @Override
    public void contribute(Contributions c) {
        ThumbnailService thumbnails = new ThumbnailService(shared.videos, p.engines().videos(), p.engines().blobs(), new ImageIoProcessor(),
                probe(p.ffmpeg(), p.config()), new ThumbnailFrames(p.ffmpeg()));
        c.routes(new ThumbnailRoutes(thumbnails, shared.auth));
        c.consume("thumbnails", Set.of(EventType.VIDEO_PUBLISHED, EventType.VIDEO_PROCESSED), event -> thumbnails.reapply(event.subjectId()));
    }

    /** The original is probed within the configured limits, as the transcoder probes it. */
    static MediaProbe probe(Ffmpeg ffmpeg, KinoraConfig config) {
        return new MediaProbe(ffmpeg, config.mediaLimits());
    }
}
