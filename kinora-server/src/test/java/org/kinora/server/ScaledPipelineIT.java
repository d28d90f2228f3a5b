package org.kinora.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinora.server.engines.EmbeddedKafka;
import org.kinora.server.engines.EmbeddedRedis;
import org.kinora.server.engines.S3Engine;

/**
 * Every {@link PipelineIT} case on the scale-out engines: media in S3 (s3proxy, signatures
 * checked; Ceph RGW with {@code -Dkinora.s3=ceph}), transcode jobs and domain events through Kafka, the video cache and live updates in
 * Redis. The tus upload lands through a multipart upload, the job goes through the workers'
 * consumer group, the worker downloads the original and uploads renditions, the origin streams
 * segments with ranged GETs, deleting the video empties its prefix.
 */
@Timeout(600)
class ScaledPipelineIT extends PipelineIT {
    /** Starts the engines before PipelineIT's server (and stops them after): extensions wrap @BeforeAll/@AfterAll. */
    @RegisterExtension
    static final Extension ENGINES = new Extension();

    static final class Extension implements BeforeAllCallback, AfterAllCallback {
        S3Engine s3;
        EmbeddedKafka kafka;
        EmbeddedRedis redis;

        @Override
        public void beforeAll(ExtensionContext context) throws Exception {
            // Under target/, so the engines' logs stay for a look after a failure (mvn clean removes them).
            Path engines = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "scaled-pipeline-");
            s3 = S3Engine.start(engines.resolve("s3"));
            kafka = new EmbeddedKafka(engines.resolve("kafka"));
            redis = EmbeddedRedis.start();
            Map<String, String> c = new HashMap<>(s3.kinoraConfig("media"));
            c.put("jobs.queue", "kafka");
            c.put("events.relay", "kafka");
            c.put("kafka.bootstrap-servers", kafka.bootstrapServers());
            c.put("kafka.partitions", "2");
            c.put("redis.url", redis.url());
            c.put("cache.type", "redis");
            extraConfig = c;
        }

        @Override
        public void afterAll(ExtensionContext context) throws Exception {
            extraConfig = Map.of();
            if (s3 != null) s3.close();
            if (kafka != null) kafka.close();
            if (redis != null) redis.close();
        }
    }
}
