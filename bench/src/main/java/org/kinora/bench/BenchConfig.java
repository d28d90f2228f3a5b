package org.kinora.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.kinora.server.config.ConfigLoader;
import org.kinora.server.config.KinoraConfig;

/** The config of a server a benchmark starts: only the given keys, never the environment's. */
final class BenchConfig {
    private BenchConfig() {}

    static KinoraConfig load(Path dataDir, Map<String, String> overrides) throws IOException {
        // An explicit, empty config file: otherwise ConfigLoader would pick up a ./kinora.conf in the working directory.
        Path configFile = dataDir.resolve("bench.conf");
        Files.writeString(configFile, "");
        // Each benchmark server takes a free RTMP port, not 1935, so two of them (or a running Kinora) never collide.
        Map<String, String> all = new java.util.HashMap<>(overrides);
        all.putIfAbsent("live.rtmp-port", "0");
        return ConfigLoader.load(Optional.of(configFile), Map.of(), all);
    }
}
