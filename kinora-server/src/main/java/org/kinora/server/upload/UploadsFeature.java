package org.kinora.server.upload;

import java.time.Duration;
import org.kinora.adapters.postgres.PgUploadRepository;
import org.kinora.core.upload.UploadService;
import org.kinora.server.engines.Engines;
import org.kinora.server.feature.Contributions;
import org.kinora.server.feature.Feature;
import org.kinora.server.feature.Platform;
import org.kinora.server.feature.SharedServices;

/** Resumable uploads (tus) within the uploader's quota; stale unfinished uploads are swept every 10 minutes. */
public record UploadsFeature(Platform p, SharedServices shared) implements Feature {
    @Override
    public void contribute(Contributions c) {
        Engines e = p.engines();
        var config = p.config();
        UploadService uploads = new UploadService(new PgUploadRepository(e.database()), e.videos(), e.jobs(), e.blobs(),
                e.database(), e.events(), p.clock(), new UploadService.Settings(config.uploadMaxSizeBytes(), config.uploadExpiry(), config.jobMaxAttempts(),
                        config.security().maxUnfinishedUploads()),
                p.wakeWorker(), shared.quota, shared.uploadReviewHold);
        c.routes(new TusRoutes(uploads, shared.auth, p.metrics()));
        c.every("sweeping expired uploads", Duration.ofMinutes(1), Duration.ofMinutes(10), uploads::expireStale);
    }
}
