package org.kinora.server;

import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinora.server.engines.S3Proxy;

/**
 * Every {@link PipelineIT} case with media in S3 (s3proxy, signatures checked): the tus upload
 * lands through a multipart upload, the worker downloads the original and uploads renditions, the
 * origin streams segments with ranged GETs, deleting the video empties its prefix.
 */
class S3PipelineIT extends PipelineIT {
    /** Starts s3proxy before PipelineIT's server (and stops it after): extensions wrap @BeforeAll/@AfterAll. */
    @RegisterExtension
    static final Extension S3 = new Extension();

    static final class Extension implements BeforeAllCallback, AfterAllCallback {
        S3Proxy s3proxy;

        @Override
        public void beforeAll(ExtensionContext context) throws Exception {
            s3proxy = S3Proxy.inTempDir();
            extraConfig = s3proxy.kinoraConfig("media");
        }

        @Override
        public void afterAll(ExtensionContext context) {
            extraConfig = Map.of();
            if (s3proxy != null) s3proxy.close();
        }
    }
}
