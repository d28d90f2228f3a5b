package org.kinora.server.engines;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.Optional;
import org.kinora.adapters.clamav.ClamdScanner;
import org.kinora.core.scan.MalwareScanner;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.kinora.adapters.postgres.EmbeddedPostgresServer;
import org.kinora.adapters.postgres.PgEventLog;
import org.kinora.adapters.postgres.PgVideoRepository;
import org.kinora.adapters.postgres.PostgresDatabase;
import org.kinora.core.blob.BlobStore;
import org.kinora.core.common.Clock;
import org.kinora.core.common.LiveBus;
import org.kinora.core.engagement.VideoStatsRepository;
import org.kinora.core.events.EventDispatcher;
import org.kinora.core.events.EventLog;
import org.kinora.core.jobs.JobQueue;
import org.kinora.core.jobs.Worker;
import org.kinora.core.search.SearchEngine;
import org.kinora.core.video.VideoRepository;
import org.kinora.server.Closer;
import org.kinora.server.config.KinoraConfig;
import org.kinora.server.playback.MediaRedirects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that selects each engine from the configuration and hands out its port: the
 * database (embedded or {@code database.url}), the blob store (directory or S3), the live bus and
 * video cache (in-process or Redis), the search engine (PostgreSQL or OpenSearch) and the job
 * queue and event relay (PostgreSQL or Kafka). Nothing outside this package looks at a concrete
 * adapter. Every engine's readiness check is in {@link #healthChecks()}, its meters come from
 * {@link #bindMetrics}, and {@link #close()} closes them in the reverse order they were opened.
 */
public final class Engines implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Engines.class);

    private final Closer closer = new Closer();
    private final Map<String, BooleanSupplier> health = new LinkedHashMap<>();
    private String jdbcUrl;
    private PostgresDatabase db;
    private BlobStore blobs;
    private MediaRedirects mediaRedirects;
    private LiveSelection live;
    private VideoRepository videos;
    private SearchEngine search;
    private JobQueueSelection jobs;
    private PgEventLog events;

    private Engines() {}

    /** Opens every engine the configuration names; on a failure closes what was already open and rethrows. */
    public static Engines select(KinoraConfig config, Clock clock) throws IOException {
        Engines e = new Engines();
        try {
            e.open(config, clock);
        } catch (IOException | RuntimeException x) {
            e.close();
            throw x;
        }
        return e;
    }

    private void open(KinoraConfig config, Clock clock) throws IOException {
        if (config.databaseUrl().isPresent()) {
            jdbcUrl = config.databaseUrl().get();
        } else {
            EmbeddedPostgresServer pg = closer.add(EmbeddedPostgresServer.start(config.embeddedPostgresDir(), config.toolsDir().resolve("postgres")));
            jdbcUrl = pg.jdbcUrl();
            log.info("embedded PostgreSQL on port {}, data in {}", pg.port(), config.embeddedPostgresDir());
        }
        db = closer.add(PostgresDatabase.connect(jdbcUrl, config.replica().url(), config.databaseUser(), config.databasePassword(),
                config.databasePoolSize()));
        health.put("database", db::isReachable);

        blobs = BlobSelection.select(config);
        if (blobs instanceof AutoCloseable c) closer.add(c);
        health.put("blob_store", BlobSelection.health(blobs));
        mediaRedirects = BlobSelection.mediaRedirects(config, blobs);

        live = closer.add(LiveSelection.select(config.redis()));
        live.addHealthChecks(health);
        videos = live.videos(new PgVideoRepository(db), db);

        search = SearchSelection.select(config.search(), db, clock);
        if (search instanceof AutoCloseable c) closer.add(c);
        SearchSelection.health(search).ifPresent(check -> health.put("search", check));

        jobs = closer.add(JobQueueSelection.select(config.kafka(), db));
        jobs.addHealthChecks(health);
        events = new PgEventLog(db);

        // Upload scanning (issue 18b): clamd when clamav.clamd names one, else none.
        scanner = config.trust().clamd().map(a -> (MalwareScanner) new ClamdScanner(a, config.trust().clamdTimeout()));
        scanner.ifPresent(s -> health.put("clamd", s::isReachable));
    }

    private Optional<MalwareScanner> scanner = Optional.empty();

    /** The virus scanner finished uploads go through before transcoding, when one is configured. */
    public Optional<MalwareScanner> scanner() { return scanner; }

    /** The JDBC URL in use: the embedded database's, for other processes to share it. */
    public String jdbcUrl() { return jdbcUrl; }

    public PostgresDatabase database() { return db; }

    public BlobStore blobs() { return blobs; }

    /** Where segments and pictures may be fetched from instead of the origin (presigned S3 URLs), or nowhere. */
    public MediaRedirects mediaRedirects() { return mediaRedirects; }

    /** The video repository every part of the process uses: cached reads, invalidation and a change message after each commit. */
    public VideoRepository videos() { return videos; }

    /** Counters as the pages show them: through Redis for a few seconds when the cache is on. */
    public VideoStatsRepository stats(VideoStatsRepository db) { return live.stats(db); }

    public LiveBus bus() { return live.bus(); }

    /** How often status streams re-read the database besides waking on the bus. */
    public Duration statusPoll() { return live.statusPoll(); }

    public SearchEngine search() { return search; }

    /** True when the search engine keeps its own index and it does not exist yet: build it from the database. */
    public boolean searchIndexMissing() { return SearchSelection.indexMissing(search); }

    public JobQueue jobs() { return jobs.jobQueue(); }

    public EventLog events() { return events; }

    /** The outbox table itself, for deleting old events ({@code events.retention-days}). */
    public PgEventLog outbox() { return events; }

    /** Jobs arriving from Kafka wake the worker instead of waiting for its next poll. */
    public void wakeOnJobs(Worker worker) { jobs.wake(worker); }

    /**
     * A consumer that reads the scale-out event log when there is one: with {@code events.relay =
     * kafka}, {@code handler} gets the relayed events from the Kafka events topic (each batch in a
     * database transaction) and the returned consumer must be closed at shutdown; otherwise empty,
     * and the caller subscribes to the outbox.
     */
    public java.util.Optional<AutoCloseable> consumeEventLog(String consumer, java.util.Set<org.kinora.core.events.EventType> types,
            org.kinora.core.events.EventHandler handler) {
        return jobs.consumeRelayed(consumer, types, handler, db).map(AutoCloseable.class::cast);
    }

    /** Relays the outbox to Kafka (consumer {@code kafka-relay}) when configured. */
    public void relayEvents(EventDispatcher dispatcher) { jobs.relayEvents(dispatcher); }

    /** One readiness check per engine, by the name /health/ready reports. */
    public Map<String, BooleanSupplier> healthChecks() { return Collections.unmodifiableMap(health); }

    public void bindMetrics(MeterRegistry registry) { live.bindMetrics(registry); }

    @Override
    public void close() {
        closer.close();
    }
}
