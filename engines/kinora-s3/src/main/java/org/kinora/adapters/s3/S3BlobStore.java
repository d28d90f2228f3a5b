package org.kinora.adapters.s3;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.kinora.core.blob.BlobInfo;
import org.kinora.core.blob.BlobKeys;
import org.kinora.core.blob.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Blobs as objects in one S3 bucket (AWS S3, MinIO, Ceph RGW, s3proxy), key for key. Ranged reads
 * are ranged GETs; resumable uploads are multipart uploads kept entirely in the bucket (see
 * {@link S3Staging}), so any node can continue an upload that another started.
 */
public final class S3BlobStore implements BlobStore, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(S3BlobStore.class);
    /** S3's largest single PUT. */
    private static final long MAX_PUT = 5L * 1024 * 1024 * 1024;

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;
    private final S3Staging staging;

    S3BlobStore(S3Client s3, S3Presigner presigner, String bucket, int partSize) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
        this.staging = new S3Staging(this, partSize);
    }

    /**
     * Connects and checks the bucket: creates it when missing and allowed to, otherwise fails with
     * what to fix. Fails as well when the endpoint cannot be reached or refuses the credentials.
     */
    public static S3BlobStore connect(S3Settings settings) throws IOException {
        S3Client client = S3Clients.create(settings);
        try {
            S3Buckets.ensure(client, settings);
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
        return new S3BlobStore(client, S3Clients.presigner(settings), settings.bucket(), settings.partSizeBytes());
    }

    S3Client client() { return s3; }

    String bucket() { return bucket; }

    /** Whether the bucket answers: for /health/ready. */
    public boolean isReachable() {
        try {
            s3.headBucket(b -> b.bucket(bucket));
            return true;
        } catch (SdkException e) {
            return false;
        }
    }

    /**
     * A URL that lets whoever holds it GET {@code key} straight from the bucket until {@code ttl}
     * has passed, with no credentials: for handing media to viewers without proxying the bytes.
     */
    public URI presignedGet(String key, Duration ttl) {
        BlobKeys.requireValid(key);
        return URI.create(presigner.presignGetObject(r -> r.signatureDuration(ttl).getObjectRequest(g -> g.bucket(bucket).key(key)))
                .url().toString());
    }

    @Override
    public void put(String key, Path file, String contentType) throws IOException {
        BlobKeys.requireValid(key);
        long size = Files.size(file);
        if (size > MAX_PUT) throw new IOException(key + " is " + size + " bytes; a single S3 PUT takes at most 5 GiB");
        call(() -> s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType).contentLength(size), RequestBody.fromFile(file)));
    }

    @Override
    public void put(String key, byte[] bytes, String contentType) throws IOException {
        BlobKeys.requireValid(key);
        putBytes(key, bytes, bytes.length, contentType);
    }

    void putBytes(String key, byte[] bytes, int length, String contentType) throws IOException {
        call(() -> s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType).contentLength((long) length),
                RequestBody.fromByteBuffer(java.nio.ByteBuffer.wrap(bytes, 0, length))));
    }

    @Override
    public Optional<BlobInfo> stat(String key) throws IOException {
        BlobKeys.requireValid(key);
        return head(key).map(h -> new BlobInfo(key, h.contentLength(), h.lastModified()));
    }

    Optional<HeadObjectResponse> head(String key) throws IOException {
        try {
            return Optional.of(s3.headObject(b -> b.bucket(bucket).key(key)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) return Optional.empty();
            throw new IOException("S3 HEAD " + key + " failed: " + e.getMessage(), e);
        } catch (SdkClientException e) {
            throw new IOException("S3 HEAD " + key + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public InputStream open(String key, long offset, long length) throws IOException {
        BlobKeys.requireValid(key);
        if (offset < 0 || length < 0) throw new IllegalArgumentException("negative range " + offset + "+" + length + " of " + key);
        if (length == 0) return InputStream.nullInputStream();
        String range = "bytes=" + offset + "-" + (offset + length - 1);
        try {
            return new AbortingStream(s3.getObject(b -> b.bucket(bucket).key(key).range(range)), length);
        } catch (NoSuchKeyException e) {
            throw new FileNotFoundException(key);
        } catch (SdkException e) {
            throw new IOException("S3 GET " + key + " (" + range + ") failed: " + e.getMessage(), e);
        }
    }

    /** Downloads into {@code scratchDir} (a temporary name first, so a half download is never taken for the file). */
    @Override
    public Path localFile(String key, Path scratchDir) throws IOException {
        BlobKeys.requireValid(key);
        Files.createDirectories(scratchDir);
        Path target = scratchDir.resolve(key.replace('/', '_'));
        Path tmp = scratchDir.resolve(target.getFileName() + ".download");
        Files.deleteIfExists(tmp);
        try {
            s3.getObject(b -> b.bucket(bucket).key(key), ResponseTransformer.toFile(tmp));
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchKeyException e) {
            throw new java.nio.file.NoSuchFileException(key);
        } catch (SdkException e) {
            throw new IOException("S3 download of " + key + " failed: " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }

    @Override
    public void delete(String key) throws IOException {
        BlobKeys.requireValid(key);
        call(() -> s3.deleteObject(b -> b.bucket(bucket).key(key)));
    }

    @Override
    public void deletePrefix(String prefix) throws IOException {
        BlobKeys.requireValid(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
        deleteAll(list(prefix));
        // An upload still under way below the prefix (a video deleted mid-upload) goes too.
        staging.abortUnder(prefix);
    }

    /** Every object whose key starts with {@code prefix}, in key order. */
    List<S3Object> list(String prefix) throws IOException {
        List<S3Object> out = new ArrayList<>();
        call(() -> {
            s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().forEach(out::add);
            return out;
        });
        return out;
    }

    void deleteAll(List<S3Object> objects) throws IOException {
        for (int i = 0; i < objects.size(); i += 1000) {
            List<ObjectIdentifier> batch = objects.subList(i, Math.min(objects.size(), i + 1000)).stream()
                    .map(o -> ObjectIdentifier.builder().key(o.key()).build()).toList();
            var response = call(() -> s3.deleteObjects(b -> b.bucket(bucket).delete(Delete.builder().objects(batch).quiet(true).build())));
            if (response.hasErrors() && !response.errors().isEmpty()) {
                var first = response.errors().getFirst();
                throw new IOException("S3 refused to delete " + response.errors().size() + " object(s), e.g. " + first.key() + ": " + first.message());
            }
        }
    }

    // --- resumable writes: see S3Staging ---

    @Override
    public long stagedSize(String key) throws IOException {
        return staging.size(BlobKeys.requireValid(key));
    }

    @Override
    public long appendStaged(String key, InputStream in, long maxBytes) throws IOException {
        return staging.append(BlobKeys.requireValid(key), in, maxBytes);
    }

    @Override
    public void truncateStaged(String key, long size) throws IOException {
        staging.truncate(BlobKeys.requireValid(key), size);
    }

    @Override
    public void commitStaged(String key) throws IOException {
        staging.commit(BlobKeys.requireValid(key));
    }

    @Override
    public void abortStaged(String key) throws IOException {
        staging.abort(BlobKeys.requireValid(key));
    }

    /** Server-side where S3 allows: see {@link S3Concatenation}. */
    @Override
    public long concatenate(List<String> sources, String target) throws IOException {
        sources.forEach(BlobKeys::requireValid);
        return new S3Concatenation(this).run(sources, BlobKeys.requireValid(target));
    }

    /** Runs an S3 call, turning the SDK's unchecked failures into the port's IOException. */
    <T> T call(SdkCall<T> call) throws IOException {
        try {
            return call.run();
        } catch (NoSuchBucketException e) {
            throw new IOException("S3 bucket '" + bucket + "' does not exist (any more): " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new IOException("S3 request failed: " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @FunctionalInterface
    interface SdkCall<T> {
        T run();
    }

    /**
     * Closing a response before its end would make the HTTP client read the rest to reuse the
     * connection (a viewer who seeks away mid-segment); dropping the connection is cheaper.
     */
    private static final class AbortingStream extends java.io.FilterInputStream {
        private final ResponseInputStream<?> response;
        private long remaining;

        AbortingStream(ResponseInputStream<?> response, long length) {
            super(response);
            this.response = response;
            this.remaining = length;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) remaining--;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) remaining -= n;
            return n;
        }

        @Override
        public void close() throws IOException {
            if (remaining > 0) response.abort();
            super.close();
        }
    }

    @Override
    public void close() {
        presigner.close();
        s3.close();
        log.debug("S3 client for bucket {} closed", bucket);
    }
}
