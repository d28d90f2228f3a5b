package org.kinora.core.upload;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.kinora.core.blob.AppendAbandonedException;
import org.kinora.core.common.Clock;
import org.kinora.core.common.Ids;
import org.kinora.core.common.KinoraException;

/**
 * One request's claim to write an upload, held in the upload's row so that it holds across API
 * nodes (the in-process lock of {@link UploadService} only covers one node). It runs out unless
 * renewed, so a node that dies mid-request blocks the upload for at most {@link #TTL}; a request
 * streaming a long chunk renews it as bytes arrive.
 */
final class WriterClaim {
    static final Duration TTL = Duration.ofSeconds(20);
    private static final Duration RENEW_AFTER = TTL.dividedBy(3);

    private final UploadRepository uploads;
    private final Clock clock;
    private final String uploadId;
    private final String writer = Ids.newId();
    private Instant renewedAt;

    private WriterClaim(UploadRepository uploads, Clock clock, String uploadId) {
        this.uploads = uploads;
        this.clock = clock;
        this.uploadId = uploadId;
    }

    static Optional<WriterClaim> take(UploadRepository uploads, Clock clock, String uploadId) {
        WriterClaim claim = new WriterClaim(uploads, clock, uploadId);
        return claim.renew() ? Optional.of(claim) : Optional.empty();
    }

    /** Takes the claim, waiting up to {@code wait} for the current writer to finish. */
    static WriterClaim await(UploadRepository uploads, Clock clock, String uploadId, Duration wait) throws IOException {
        Instant deadline = Instant.now().plus(wait);
        while (true) {
            Optional<WriterClaim> claim = take(uploads, clock, uploadId);
            if (claim.isPresent()) return claim.get();
            if (Instant.now().isAfter(deadline)) throw busy();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the upload's writer", e);
            }
        }
    }

    static KinoraException busy() {
        return KinoraException.conflict("upload_busy", "Another request is writing to this upload; retry shortly.");
    }

    /** Renews the claim; false when another writer took it over after it ran out. */
    boolean renew() {
        boolean held = uploads.claimWriter(uploadId, writer, TTL);
        if (held) renewedAt = clock.now();
        return held;
    }

    /** Renews the claim or fails the request with 409, so the client asks where to resume. */
    void renewOrFail() {
        if (!renew()) throw busy();
    }

    void release() {
        uploads.releaseWriter(uploadId, writer);
    }

    /**
     * The request body, renewing the claim while bytes keep coming. Once the claim is lost, or when
     * the body breaks and the claim turns out lost meanwhile, it fails with
     * {@link AppendAbandonedException} so that nothing more of this request is stored.
     */
    InputStream guard(InputStream body) {
        return new FilterInputStream(body) {
            @Override
            public int read() throws IOException {
                check();
                try {
                    return super.read();
                } catch (IOException e) {
                    throw afterFailure(e);
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                check();
                try {
                    return super.read(b, off, len);
                } catch (IOException e) {
                    throw afterFailure(e);
                }
            }
        };
    }

    private void check() throws AppendAbandonedException {
        if (clock.now().isAfter(renewedAt.plus(RENEW_AFTER)) && !renew()) throw abandoned();
    }

    private IOException afterFailure(IOException e) {
        if (e instanceof AppendAbandonedException || renew()) return e;
        AppendAbandonedException abandoned = abandoned();
        abandoned.addSuppressed(e);
        return abandoned;
    }

    private AppendAbandonedException abandoned() {
        return new AppendAbandonedException("upload " + uploadId + " was taken over by another writer");
    }
}
