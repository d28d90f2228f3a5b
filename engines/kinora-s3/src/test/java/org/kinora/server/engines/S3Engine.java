package org.kinora.server.engines;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.kinora.adapters.s3.S3Settings;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3-compatible server on 127.0.0.1 for the tests. s3proxy by default; Ceph RGW (one monitor,
 * one OSD and radosgw from Debian's packages) when the tests run with {@code -Dkinora.s3=ceph}.
 * Only the tests that are about object storage ask for one: the blob-store contract, the pipeline
 * on the scale-out engines, uploads across nodes and the multi-process scale-out test.
 */
public interface S3Engine extends AutoCloseable {
    /** The system property that picks the engine: {@code s3proxy} (the default) or {@code ceph}. */
    String PROPERTY = "kinora.s3";

    /** Starts the engine the run asked for, its files under {@code dir}. */
    static S3Engine start(Path dir) throws IOException {
        String kind = System.getProperty(PROPERTY, "s3proxy").strip();
        return switch (kind) {
            case "", "s3proxy" -> new S3Proxy(dir);
            case "ceph" -> CephRgw.start(dir);
            default -> throw new IllegalArgumentException("-D" + PROPERTY + " must be 's3proxy' or 'ceph', not '" + kind + "'");
        };
    }

    /** The S3 API's base URL, e.g. {@code http://127.0.0.1:41234}. */
    String endpoint();

    String accessKey();

    String secretKey();

    /**
     * True when the engine refuses the SDK's default trailing checksums (Ceph RGW): the adapter then
     * sends checksums only where the API demands them ({@code s3.checksums = when-required}).
     */
    default boolean checksumsWhenRequired() {
        return false;
    }

    /** The adapter's settings for {@code bucket} on this engine: what {@link #kinoraConfig} tells a Kinora node. */
    default S3Settings s3Settings(String bucket) {
        return new S3Settings(Optional.of(URI.create(endpoint())), "us-east-1", bucket, true, accessKey(), secretKey(),
                checksumsWhenRequired(), true, S3Settings.MIN_PART_SIZE);
    }

    /** Kinora config keys that put media into {@code bucket} on this engine. */
    default Map<String, String> kinoraConfig(String bucket) {
        return Map.of("blob.store", "s3", "s3.endpoint", endpoint(), "s3.bucket", bucket, "s3.path-style", "true",
                "s3.access-key", accessKey(), "s3.secret-key", secretKey(), "s3.part-size-mb", "5",
                "s3.checksums", checksumsWhenRequired() ? "when-required" : "when-supported");
    }

    /**
     * A plain SDK client for looking behind Kinora's back (listing staged objects, open multipart
     * uploads). Checksums only where required, which every engine accepts.
     */
    default S3Client rawClient() {
        return S3Client.builder().endpointOverride(URI.create(endpoint())).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey(), secretKey())))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    @Override
    void close();
}
