package org.kinora.adapters.s3;

import java.net.URI;
import java.util.Optional;

/**
 * Where the bucket is and how to talk to it.
 *
 * @param endpoint              the S3 API's base URL; empty for AWS itself (derived from the region)
 * @param pathStyle             {@code http://host/bucket/key} instead of {@code http://bucket.host/key}:
 *                              what MinIO, Ceph RGW and s3proxy usually need
 * @param accessKey             empty: the AWS SDK's default credential chain (environment, profile, instance role)
 * @param checksumsWhenRequired send and check CRC checksums only where the API demands them, and sign
 *                              request bodies whole rather than aws-chunked: Ceph RGW and other older S3
 *                              implementations refuse the SDK's default trailing checksums, and RGW 16
 *                              rejects an empty aws-chunked body
 * @param createBucket          create the bucket at start when it does not exist, instead of failing
 * @param partSizeBytes         multipart part size for uploads (at least 5 MiB, S3's minimum); also the
 *                              largest piece of a resumable upload buffered in memory per request
 */
public record S3Settings(
        Optional<URI> endpoint,
        String region,
        String bucket,
        boolean pathStyle,
        String accessKey,
        String secretKey,
        boolean checksumsWhenRequired,
        boolean createBucket,
        int partSizeBytes) {

    /** S3's smallest part, except for the last one of an upload. */
    public static final int MIN_PART_SIZE = 5 * 1024 * 1024;
    /** S3's most parts per multipart upload. */
    public static final int MAX_PARTS = 10_000;

    public S3Settings {
        if (bucket == null || bucket.isBlank()) throw new IllegalArgumentException("an S3 bucket name is required");
        if (partSizeBytes < MIN_PART_SIZE) {
            throw new IllegalArgumentException("the S3 part size must be at least 5 MiB (S3's minimum), not " + partSizeBytes + " bytes");
        }
    }

    /** Never prints the secret key. */
    @Override
    public String toString() {
        return "S3Settings[endpoint=" + endpoint + ", region=" + region + ", bucket=" + bucket + ", pathStyle=" + pathStyle
                + ", accessKey=" + accessKey + ", checksumsWhenRequired=" + checksumsWhenRequired + ", createBucket=" + createBucket
                + ", partSizeBytes=" + partSizeBytes + "]";
    }
}
