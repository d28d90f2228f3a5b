package org.kinora.server.search;

import org.kinora.adapters.postgres.PgSearchDocuments;
import org.kinora.core.search.SearchEngine;
import org.kinora.core.search.SearchIndexer;
import org.kinora.server.feature.Contributions;
import org.kinora.server.feature.Feature;
import org.kinora.server.feature.Platform;

/**
 * An engine with its own index (OpenSearch) follows the domain events: after every event that
 * may change a video's document or its visibility (a counted view changes its view total and
 * trending heat) the indexer re-reads the video. An index that does not exist yet is built from
 * the database first. The PostgreSQL engine reads the tables themselves and needs no events.
 * Runs in every role, as the outbox consumer {@code search}.
 */
public record SearchIndexFeature(Platform p) implements Feature {
    @Override
    public void contribute(Contributions c) {
        SearchEngine engine = p.engines().search();
        if (!engine.keepsOwnIndex()) return;
        SearchIndexer indexer = new SearchIndexer(engine, new PgSearchDocuments(p.engines().database()));
        if (p.engines().searchIndexMissing()) indexer.rebuildAll();
        c.consume("search", SearchIndexer.EVENT_TYPES, event -> indexer.refresh(event.subjectId()));
    }
}
