package org.kinora.server.engines;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.kinora.adapters.localfs.LocalBlobStore;
import org.kinora.adapters.s3.S3BlobStore;
import org.kinora.adapters.s3.S3Settings;
import org.kinora.core.blob.BlobStore;
import org.kinora.server.config.KinoraConfig;
import org.kinora.server.playback.MediaRedirects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Selects the blob store {@code blob.store} names (a local directory or an S3 bucket), its readiness check and media redirects. */
public final class BlobSelection {
    private static final Logger log = LoggerFactory.getLogger(BlobSelection.class);

    private BlobSelection() {}

    /** The local directory, or the S3 bucket (connected and checked: fails at start, not at the first upload). */
    static BlobStore select(KinoraConfig config) throws IOException {
        KinoraConfig.Blob blob = config.blob();
        if (!blob.usesS3()) return new LocalBlobStore(config.blobDir());
        S3Settings settings = s3Settings(blob.s3());
        S3BlobStore store = S3BlobStore.connect(settings);
        log.info("media in S3 bucket '{}' at {}", settings.bucket(), settings.endpoint().map(URI::toString).orElse("AWS " + settings.region()));
        return store;
    }

    public static S3Settings s3Settings(KinoraConfig.S3 s3) {
        return new S3Settings(
                s3.endpoint().isBlank() ? Optional.empty() : Optional.of(URI.create(s3.endpoint())),
                s3.region(), s3.bucket(), s3.pathStyle(), s3.accessKey(), s3.secretKey(),
                s3.checksums().equals("when-required"), s3.createBucket(), s3.partSizeMb() * 1024 * 1024);
    }

    /**
     * Presigned bucket URLs for segments, init files and pictures when {@code s3.presign-seconds} is
     * set; playlists and manifests stay on the origin (they are small, change while the ladder
     * grows, and their relative URLs must keep resolving against the origin's token path).
     */
    static MediaRedirects mediaRedirects(KinoraConfig config, BlobStore store) {
        int seconds = config.blob().s3().presignSeconds();
        if (!(store instanceof S3BlobStore s3) || seconds <= 0) return MediaRedirects.NONE;
        Duration ttl = Duration.ofSeconds(seconds);
        // Reusing a redirect for half its life leaves the other half for the transfer itself.
        long cache = Math.max(0, seconds / 2);
        return key -> key.endsWith(".m4s") || key.endsWith(".mp4") || key.endsWith(".jpg")
                ? Optional.of(new MediaRedirects.Redirect(s3.presignedGet(key, ttl), cache))
                : Optional.empty();
    }

    /** For /health/ready: the directory is writable, or the bucket answers. */
    public static BooleanSupplier health(BlobStore store) {
        if (store instanceof S3BlobStore s3) return s3::isReachable;
        if (store instanceof LocalBlobStore local) return () -> Files.isWritable(local.root());
        return () -> true;
    }
}
