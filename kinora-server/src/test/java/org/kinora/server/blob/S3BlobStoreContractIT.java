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
import org.kinora.server.engines.S3Proxy;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The blob-store contract on S3 (s3proxy, signatures checked), each "node" its own client. */
class S3BlobStoreContractIT extends BlobStoreContract {
    static final String BUCKET = "contract";
    @TempDir
    static Path dir;
    static S3Proxy s3proxy;
    static S3Settings settings;
    static S3Client raw;

    @BeforeAll
    static void start() throws Exception {
        s3proxy = new S3Proxy(dir.resolve("s3proxy"));
        KinoraConfig config = ConfigLoader.load(java.util.Optional.empty(), Map.of(), s3proxy.kinoraConfig(BUCKET));
        settings = BlobStores.s3Settings(config.blob().s3());
        raw = S3Client.builder().endpointOverride(java.net.URI.create(s3proxy.endpoint)).region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(S3Proxy.ACCESS_KEY, S3Proxy.SECRET_KEY)))
                .build();
    }

    @AfterAll
    static void stop() {
        if (raw != null) raw.close();
        if (s3proxy != null) s3proxy.close();
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
        S3Settings wrongKey = new S3Settings(settings.endpoint(), "us-east-1", BUCKET, true, S3Proxy.ACCESS_KEY, "wrong-secret",
                false, true, settings.partSizeBytes());
        assertThatThrownBy(() -> S3BlobStore.connect(wrongKey)).isInstanceOf(IOException.class).hasMessageContaining("s3.secret-key");
        S3Settings noCreate = new S3Settings(settings.endpoint(), "us-east-1", "not-there", true, S3Proxy.ACCESS_KEY,
                S3Proxy.SECRET_KEY, false, false, settings.partSizeBytes());
        assertThatThrownBy(() -> S3BlobStore.connect(noCreate)).isInstanceOf(IOException.class).hasMessageContaining("s3.create-bucket");
        S3Settings nobody = new S3Settings(java.util.Optional.of(java.net.URI.create("http://127.0.0.1:1")), "us-east-1", BUCKET, true,
                S3Proxy.ACCESS_KEY, S3Proxy.SECRET_KEY, false, true, settings.partSizeBytes());
        assertThatThrownBy(() -> S3BlobStore.connect(nobody)).isInstanceOf(IOException.class).hasMessageContaining("s3.endpoint");
    }

    @Test
    void theBucketHealthCheckAnswers() throws IOException {
        assertThat(BlobStores.health(node()).getAsBoolean()).isTrue();
    }
}
