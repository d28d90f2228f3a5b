package org.kinora.adapters.s3;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Checks at start that the bucket is there and usable, creating it when allowed. */
final class S3Buckets {
    private static final Logger log = LoggerFactory.getLogger(S3Buckets.class);

    private S3Buckets() {}

    static void ensure(S3Client s3, S3Settings settings) throws IOException {
        String bucket = settings.bucket();
        String where = settings.endpoint().map(Object::toString).orElse("AWS region " + settings.region());
        try {
            s3.headBucket(b -> b.bucket(bucket));
            return;
        } catch (SdkClientException e) {
            throw new IOException("Cannot reach S3 at " + where + ": " + e.getMessage()
                    + ". Check s3.endpoint and that the storage service is running.", e);
        } catch (S3Exception e) {
            if (e.statusCode() == 403) {
                throw new IOException("S3 at " + where + " refuses access to bucket '" + bucket + "' (403). Check s3.access-key "
                        + "and s3.secret-key, and that this key may use the bucket.", e);
            }
            if (e.statusCode() != 404) {
                throw new IOException("S3 at " + where + " answered " + e.statusCode() + " for bucket '" + bucket + "': "
                        + e.getMessage(), e);
            }
        }
        if (!settings.createBucket()) {
            throw new IOException("S3 bucket '" + bucket + "' does not exist at " + where
                    + ". Create it, or set s3.create-bucket = true to let Kinora create it.");
        }
        try {
            s3.createBucket(b -> b.bucket(bucket));
            log.info("created S3 bucket '{}' at {}", bucket, where);
        } catch (BucketAlreadyOwnedByYouException raced) {
            // Another node created it a moment ago.
        } catch (S3Exception e) {
            throw new IOException("Could not create S3 bucket '" + bucket + "' at " + where + ": " + e.getMessage()
                    + ". Create it yourself, or give the key permission to.", e);
        }
    }
}
