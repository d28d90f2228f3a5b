package org.kinora.server.search;

import java.io.IOException;
import java.io.PrintWriter;
import org.kinora.adapters.postgres.EmbeddedPostgresServer;
import org.kinora.adapters.postgres.PgSearchDocuments;
import org.kinora.adapters.postgres.PostgresDatabase;
import org.kinora.core.common.Clock;
import org.kinora.core.search.SearchEngine;
import org.kinora.core.search.SearchIndexer;
import org.kinora.server.config.KinoraConfig;
import org.kinora.server.engines.SearchSelection;

/**
 * {@code kinora search reindex}: rebuilds the configured search engine's index from the database.
 * With the embedded database it starts it (so the server must be stopped); with database.url it
 * runs beside live servers, and the alias swap makes the switch atomic for searchers.
 */
public final class SearchReindex {
    private SearchReindex() {}

    public static long run(KinoraConfig config, PrintWriter out) throws IOException {
        EmbeddedPostgresServer embedded = null;
        String url;
        if (config.databaseUrl().isPresent()) {
            url = config.databaseUrl().get();
        } else {
            embedded = EmbeddedPostgresServer.start(config.embeddedPostgresDir(), config.toolsDir().resolve("postgres"));
            url = embedded.jdbcUrl();
        }
        try (PostgresDatabase db = PostgresDatabase.connect(url, config.databaseUser(), config.databasePassword(), 4)) {
            SearchEngine engine = SearchSelection.select(config.search(), db, Clock.system());
            try {
                long started = System.nanoTime();
                long n = new SearchIndexer(engine, new PgSearchDocuments(db)).rebuildAll();
                out.printf("search index (%s) rebuilt: %d public video(s) in %.1f s%n", engine.name(), n,
                        (System.nanoTime() - started) / 1e9);
                out.flush();
                return n;
            } finally {
                try {
                    SearchSelection.close(engine);
                } catch (Exception ignored) {
                    // closing a client; nothing to do
                }
            }
        } finally {
            if (embedded != null) embedded.close();
        }
    }
}
