package org.kinora.adapters.opensearch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.core.common.Clock;
import org.kinora.core.search.SearchDocument;
import org.kinora.core.search.SearchDocumentSource;
import org.kinora.core.search.SearchEngine;
import org.kinora.core.search.SearchQuery;
import org.kinora.core.search.SearchSort;
import org.kinora.server.EmbeddedOpenSearch;

/**
 * The OpenSearch adapter beside its fixture, through the port only: the index built, a document
 * indexed and found by a word of its title (stemmed: the english analyzer), replaced, and removed
 * (twice: removing an absent one is fine). The whole search contract, ranking and filters, runs in
 * kinora-server's OpenSearchSearchIT, which needs the database and the event dispatcher too.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OpenSearchEngineIT {
    @Test
    void aDocumentIsIndexedFoundReplacedAndRemoved(@TempDir Path dir) throws Exception {
        try (EmbeddedOpenSearch node = new EmbeddedOpenSearch(dir.resolve("opensearch"));
             OpenSearchEngine os = new OpenSearchEngine(node.url, "kinora-adapter-test", Clock.system())) {
            SearchEngine engine = os;
            assertThat(os.indexExists()).isFalse();
            assertThat(engine.rebuild(source(List.of(doc("v1", "Sourdough basics"))))).isEqualTo(1);
            assertThat(os.indexExists()).isTrue();

            engine.index(doc("v2", "Knitting a scarf"));
            os.refresh();
            assertThat(ids(engine, "scarves")).containsExactly("v2");
            assertThat(ids(engine, "sourdough")).containsExactly("v1");

            engine.index(doc("v2", "Knitting socks")); // the same id: replaced, not added
            os.refresh();
            assertThat(ids(engine, "scarf")).isEmpty();
            assertThat(ids(engine, "sock")).containsExactly("v2");

            engine.remove("v2");
            engine.remove("v2");
            os.refresh();
            assertThat(ids(engine, "sock")).isEmpty();
            assertThat(ids(engine, "")).containsExactly("v1");
        }
    }

    private static List<String> ids(SearchEngine engine, String text) {
        return engine.videos(new SearchQuery(text, SearchSort.RELEVANCE, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), 10)).items();
    }

    private static SearchDocument doc(String id, String title) {
        return new SearchDocument(id, "owner1", "bakery", title, "", List.of(), 60.0, Instant.parse("2026-01-01T00:00:00Z"), 0, 0,
                Instant.parse("2026-01-01T00:00:00Z"));
    }

    private static SearchDocumentSource source(List<SearchDocument> docs) {
        return new SearchDocumentSource() {
            @Override
            public Optional<SearchDocument> listed(String videoId) {
                return docs.stream().filter(d -> d.videoId().equals(videoId)).findFirst();
            }

            @Override
            public void forEachListed(Consumer<SearchDocument> sink) {
                docs.forEach(sink);
            }
        };
    }
}
