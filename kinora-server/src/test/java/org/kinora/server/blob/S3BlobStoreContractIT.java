package org.kinora.server.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.adapters.s3.S3BlobStore;
import org.kinora.adapters.s3.S3Settings;
import org.kinora.core.blob.BlobStore;
import org.kinora.server.config.ConfigLoader;
import org.kinora.server.config.KinoraConfig;
import org.kinora.server.engines.BlobSelection;
import org.kinora.server.engines.S3Engine;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The blob-store contract on S3, each "node" its own client: s3proxy (signatures checked), or Ceph
 * RGW with {@code -Dkinora.s3=ceph}.
 */
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
        KinoraConfig config = ConfigLoader.load(java.util.Optional.empty(), Map.of(), s3.kinoraConfig(BUCKET));
        settings = BlobSelection.s3Settings(config.blob().s3());
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
        assertThat(BlobSelection.health(node()).getAsBoolean()).isTrue();
    }
}
