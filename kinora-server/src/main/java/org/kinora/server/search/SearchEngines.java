package org.kinora.server.search;

import org.kinora.adapters.opensearch.OpenSearchEngine;
import org.kinora.adapters.postgres.PgSearchEngine;
import org.kinora.adapters.postgres.PostgresDatabase;
import org.kinora.core.common.Clock;
import org.kinora.core.search.SearchEngine;
import org.kinora.server.config.KinoraConfig;

/** Picks the search adapter the configuration names. */
public final class SearchEngines {
    private SearchEngines() {}

    public static SearchEngine create(KinoraConfig.Search config, PostgresDatabase db, Clock clock) {
        return config.usesOpenSearch()
                ? new OpenSearchEngine(config.openSearchUrl(), config.openSearchIndex(), clock)
                : new PgSearchEngine(db);
    }
}
