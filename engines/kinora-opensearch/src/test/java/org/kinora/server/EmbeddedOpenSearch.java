package org.kinora.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.settings.Settings;
import org.opensearch.index.mapper.MapperExtrasPlugin;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;
import org.kinora.server.engines.Loopback;

/**
 * A real single-node OpenSearch inside the test JVM, HTTP on 127.0.0.1, data in a temp dir. It
 * loads the modules a packaged OpenSearch ships that Kinora's mapping needs: Netty (HTTP),
 * analysis-common (the english analyzer) and mapper-extras (search_as_you_type). Starts in ~5 s.
 * The search benchmark uses it too, through this module's test-jar.
 */
public final class EmbeddedOpenSearch implements AutoCloseable {
    private final Node node;
    public final String url;

    private static final class PluginNode extends Node {
        PluginNode(Settings settings, Collection<Class<? extends Plugin>> plugins) {
            super(InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), null, () -> "kinora-test"), plugins, true);
        }
    }

    public EmbeddedOpenSearch(Path home) throws Exception {
        int http = Loopback.freePort();
        Settings settings = Settings.builder()
                .put("path.home", home.toString())
                .put("cluster.name", "kinora-test-" + http)
                .put("node.name", "kinora-test")
                .put("discovery.type", "single-node")
                .put("network.host", "127.0.0.1")
                .put("http.port", http)
                .put("transport.port", Loopback.freePort())
                .put("cluster.routing.allocation.disk.threshold_enabled", false)
                .build();
        // The node shares the test JVM with Kinora's media port (Netty too): once any Netty event loop
        // has started, NettyRuntime refuses to be told the processor count again, so OpenSearch must not try.
        System.setProperty("opensearch.set.netty.runtime.available.processors", "false");
        node = new PluginNode(settings, List.of(Netty4Plugin.class, CommonAnalysisPlugin.class, MapperExtrasPlugin.class));
        node.start();
        url = "http://127.0.0.1:" + http;
        awaitGreen();
    }

    private void awaitGreen() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url + "/_cluster/health?wait_for_status=yellow&timeout=5s")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return;
            } catch (IOException notYet) {
                // still starting
            }
            if (Instant.now().isAfter(deadline)) throw new IllegalStateException("OpenSearch did not become ready at " + url);
            Thread.sleep(200);
        }
    }

    @Override
    public void close() throws IOException {
        node.close();
    }
}
