package org.kinora.server.engines;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A missing redis-server fails the test that wanted it, saying how to install it; it does not skip it. */
@Timeout(60)
class EmbeddedRedisTest {
    @Test
    void aMissingBinaryFailsWithHowToInstallIt() {
        assertThatThrownBy(() -> EmbeddedRedis.start(Path.of("/nonexistent/redis-server")))
                .isInstanceOf(IllegalStateException.class) // an assumption would throw TestAbortedException: a skip
                .hasMessageContaining("/nonexistent/redis-server")
                .hasMessageContaining("scripts/ensure-test-packages")
                .hasMessageContaining("KINORA_REDIS_SERVER");
    }
}
