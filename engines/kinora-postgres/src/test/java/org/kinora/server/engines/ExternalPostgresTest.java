package org.kinora.server.engines;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Missing PostgreSQL binaries, or running as root, fail the test that wanted them with what to do; they do not skip it. */
@Timeout(60)
class ExternalPostgresTest {
    @Test
    void missingBinariesFailWithHowToInstallThem() {
        assertThatThrownBy(() -> ExternalPostgres.requireRunnable(Path.of("/nonexistent/pg/bin"), 1000))
                .isInstanceOf(IllegalStateException.class) // an assumption would throw TestAbortedException: a skip
                .hasMessageContaining("/nonexistent/pg/bin")
                .hasMessageContaining("scripts/ensure-test-packages")
                .hasMessageContaining("KINORA_PG_BIN");
    }

    @Test
    void rootFailsWithHowToRunTheTests(@TempDir Path bin) throws Exception {
        Path initdb = Files.createFile(bin.resolve("initdb"));
        initdb.toFile().setExecutable(true);
        assertThatThrownBy(() -> ExternalPostgres.requireRunnable(bin, 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("user namespace");
    }
}
