package org.kinora.server.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.adapters.s3.S3BlobStore;
import org.kinora.adapters.s3.S3Settings;
import org.kinora.core.blob.BlobStore;
import org.kinora.server.engines.S3Engine;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The blob-store contract on S3, each "node" its own client: s3proxy (signatures checked), or Ceph
 * RGW with {@code -Dkinora.s3=ceph}.
 */
@Timeout(180)
class S3BlobStoreContractIT extends BlobStoreContract {
    static final String BUCKET = "contract";
    @TempDir
    static Path dir;
    static S3Engine s3;
    static S3Settings settings;
    static S3Client raw;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3Engine.start(dir.resolve("s3"));
        settings = s3.s3Settings(BUCKET);
        raw = s3.rawClient();
    }

    @AfterAll
    static void stop() {
        if (raw != null) raw.close();
        if (s3 != null) s3.close();
    }

    @Override
    protected BlobStore newNode() throws IOException {
        return S3BlobStore.connect(settings); // creates the bucket the first time
    }

    @Override
    protected long stagingLeftovers() {
        long objects = raw.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix("uploads/")).contents().stream().count();
        long multipart = raw.listMultipartUploads(b -> b.bucket(BUCKET)).uploads().size();
        return objects + multipart;
    }

    @Test
    void wrongCredentialsOrAMissingBucketFailAtStartWithWhatToFix() {
        boolean whenRequired = settings.checksumsWhenRequired();
        S3Settings wrongKey = new S3Settings(settings.endpoint(), "us-east-1", BUCKET, true, s3.accessKey(), "wrong-secret",
                whenRequired, true, settings.partSizeBytes());
        assertThatThrownBy(() -> S3BlobStore.connect(wrongKey)).isInstanceOf(IOException.class).hasMessageContaining("s3.secret-key");
        S3Settings noCreate = new S3Settings(settings.endpoint(), "us-east-1", "not-there", true, s3.accessKey(),
                s3.secretKey(), whenRequired, false, settings.partSizeBytes());
        assertThatThrownBy(() -> S3BlobStore.connect(noCreate)).isInstanceOf(IOException.class).hasMessageContaining("s3.create-bucket");
        S3Settings nobody = new S3Settings(java.util.Optional.of(java.net.URI.create("http://127.0.0.1:1")), "us-east-1", BUCKET, true,
                s3.accessKey(), s3.secretKey(), whenRequired, true, settings.partSizeBytes());
        assertThatThrownBy(() -> S3BlobStore.connect(nobody)).isInstanceOf(IOException.class).hasMessageContaining("s3.endpoint");
    }

    @Test
    void theBucketHealthCheckAnswers() throws IOException {
        assertThat(((S3BlobStore) node()).isReachable()).isTrue();
    }

    /**
     * Pieces of at least 5 MiB are copied inside the bucket (UploadPartCopy): no byte passes
     * through Kinora. A small piece that is not the last is streamed, with the front of the next
     * piece up to 5 MiB; the rest of that piece is copied again.
     */
    @Test
    void bigPiecesAreCopiedInsideTheBucketAndOnlySmallOnesStreamed() throws IOException {
        var whole = new java.io.ByteArrayOutputStream();
        assertThat(node().concatenate(pieces(node(), whole, 6 * MiB, 5 * MiB, 123), key("copied"))).isZero();
        whole.reset();
        // 1 MiB streamed, topped up with 4 MiB of the 12 MiB piece; its other 8 MiB and the last piece are copied.
        assertThat(node().concatenate(pieces(node(), whole, MiB, 12 * MiB, 2 * MiB), key("mixed"))).isEqualTo(5L * MiB);
    }
}
