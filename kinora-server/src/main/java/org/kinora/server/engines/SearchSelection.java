package org.kinora.server.engines;

import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.kinora.adapters.opensearch.OpenSearchEngine;
import org.kinora.adapters.postgres.PgSearchEngine;
import org.kinora.adapters.postgres.PostgresDatabase;
import org.kinora.core.common.Clock;
import org.kinora.core.search.SearchEngine;
import org.kinora.server.config.KinoraConfig;

/** Selects the search engine {@code search.engine} names: PostgreSQL full-text search, or OpenSearch. */
public final class SearchSelection {
    private SearchSelection() {}

    public static SearchEngine select(KinoraConfig.Search config, PostgresDatabase db, Clock clock) {
        return config.usesOpenSearch()
                ? new OpenSearchEngine(config.openSearchUrl(), config.openSearchIndex(), clock)
                : new PgSearchEngine(db);
    }

    /** The "search" readiness check of an engine outside the database (OpenSearch); PostgreSQL is checked as "database". */
    static Optional<BooleanSupplier> health(SearchEngine engine) {
        return engine instanceof OpenSearchEngine os ? Optional.of(os::isReachable) : Optional.empty();
    }

    /** True when the engine keeps an index of its own and that index does not exist yet (a first start). */
    static boolean indexMissing(SearchEngine engine) {
        return engine instanceof OpenSearchEngine os && !os.indexExists();
    }

    /** Closes the engine's client, if it has one. */
    public static void close(SearchEngine engine) throws Exception {
        if (engine instanceof AutoCloseable c) c.close();
    }
}
