package org.kinora.server.transcode;

import org.kinora.core.jobs.JobHandler;
import org.kinora.core.scan.ScanningJobHandler;
import org.kinora.media.ladder.Av1Ladder;
import org.kinora.media.pipeline.TranscodeJobHandler;
import org.kinora.server.config.KinoraConfig;
import org.kinora.server.engines.Engines;
import org.kinora.server.feature.Contributions;
import org.kinora.server.feature.Feature;
import org.kinora.server.feature.Platform;

/** Transcoding: the worker's job handlers that turn an uploaded original into the CMAF ladder (first rung, then the rest). */
public record TranscodingFeature(Platform p) implements Feature {
    @Override
    public void contribute(Contributions c) {
        Engines e = p.engines();
        SourceCopyCleanup copies = new SourceCopyCleanup(e.database(), e.blobs());
        // A copied source's files outlive its removal from the master by a grace period (SourceCopy.grace).
        c.every("deleting retired source copies", java.time.Duration.ofMinutes(1), java.time.Duration.ofMinutes(5),
                () -> copies.deleteDue(java.time.Instant.now()));
        TranscodeJobHandler transcode = new TranscodeJobHandler(e.videos(), e.blobs(), e.database(), e.events(), e.jobs(), p.ffmpeg(),
                p.config().workDir(), p.config().x264Preset(), p.config().mediaLimits(), p.config().defaultAudioLanguage(),
                p.metrics()::timeToPlayable, new org.kinora.adapters.postgres.PgCaptionRepository(e.database()), av1(p.config().av1()),
                p.config().chunking(), copies);
        // With clamav.clamd set, the original is scanned before the first pass; an infected one never
        // reaches ffmpeg. The ladder job runs only after that pass, on an original already scanned.
        c.jobHandler(e.scanner().<JobHandler>map(s -> new ScanningJobHandler(transcode, s, e.videos(), e.blobs(), e.database(), e.events()))
                .orElse(transcode));
        c.jobHandler(transcode.ladder());
        c.jobHandler(transcode.chunk());
    }

    static Av1Ladder av1(KinoraConfig.Av1 config) {
        return new Av1Ladder(config.enabled(), java.util.Set.copyOf(config.rungs()), config.preset());
    }
}
