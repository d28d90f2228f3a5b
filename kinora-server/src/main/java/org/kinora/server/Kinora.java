package org.kinora.server;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.kinora.adapters.postgres.EmbeddedPostgresServer;
import org.kinora.adapters.postgres.PgEventLog;
import org.kinora.adapters.opensearch.OpenSearchEngine;
import org.kinora.adapters.postgres.PgSearchDocuments;
import org.kinora.adapters.postgres.PgUploadRepository;
import org.kinora.adapters.postgres.PgUserRepository;
import org.kinora.adapters.postgres.PgVideoRepository;
import org.kinora.adapters.postgres.PostgresDatabase;
import org.kinora.core.account.AccountService;
import org.kinora.core.blob.BlobStore;
import org.kinora.core.common.Clock;
import org.kinora.core.events.EventDispatcher;
import org.kinora.core.jobs.Backoff;
import org.kinora.core.search.SearchEngine;
import org.kinora.core.search.SearchIndexer;
import org.kinora.core.search.SearchService;
import org.kinora.core.search.SubscriptionFeed;
import org.kinora.core.jobs.JobHandler;
import org.kinora.core.jobs.Worker;
import org.kinora.core.upload.UploadService;
import org.kinora.core.video.VideoService;
import org.kinora.media.ffmpeg.Ffmpeg;
import org.kinora.media.pipeline.TranscodeJobHandler;
import org.kinora.server.auth.AccessTokens;
import org.kinora.server.blob.BlobStores;
import org.kinora.server.auth.Argon2PasswordHasher;
import org.kinora.server.auth.AuthRoutes;
import org.kinora.server.auth.Secrets;
import org.kinora.server.auth.SessionStore;
import org.kinora.server.auth.SignInThrottle;
import org.kinora.server.http.ForwardedHeaders;
import org.kinora.server.http.RequestHardening;
import org.kinora.server.http.StreamGate;
import org.kinora.server.config.KinoraConfig;
import org.kinora.server.http.Authenticator;
import org.kinora.server.http.Json;
import org.kinora.server.http.Routes;
import org.kinora.server.http.WebServer;
import org.kinora.server.kafka.KafkaWiring;
import org.kinora.server.ops.HealthRoutes;
import org.kinora.server.ops.OutboxRetention;
import org.kinora.server.ops.Metrics;
import org.kinora.server.playback.OriginRoutes;
import org.kinora.server.playback.PlaybackTokens;
import org.kinora.server.redis.RedisEngines;
import org.kinora.server.search.SearchEngines;
import org.kinora.server.search.SearchRoutes;
import org.kinora.server.upload.TusRoutes;
import org.kinora.server.videos.VideoRoutes;
import org.kinora.server.videos.VideoViews;
import org.kinora.server.web.PageRenderer;
import org.kinora.server.web.WebRoutes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Kinora: picks the adapters the config names, wires the services and starts the
 * roles asked for. Everything is built here with constructors; there is no container.
 */
public final class Kinora implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Kinora.class);

    /** What this process does: everything, only the HTTP API, or only background jobs. */
    public enum Role {
        SERVER(true, true), API(true, false), WORKER(false, true);

        final boolean serves;
        final boolean works;

        Role(boolean serves, boolean works) {
            this.serves = serves;
            this.works = works;
        }
    }

    private final List<AutoCloseable> resources = new ArrayList<>();
    private WebServer web;
    private Worker worker;
    private EventDispatcher dispatcher;
    private String jdbcUrl;
    private BlobStore blobs;

    private Kinora() {}

    public static Kinora start(KinoraConfig config, Role role) throws IOException {
        Kinora k = new Kinora();
        try {
            k.boot(config, role);
        } catch (IOException | RuntimeException e) {
            k.close();
            throw e;
        }
        return k;
    }

    private void boot(KinoraConfig config, Role role) throws IOException {
        Files.createDirectories(config.dataDir());
        Clock clock = Clock.system();
        Metrics metrics = new Metrics();

        if (config.databaseUrl().isPresent()) {
            jdbcUrl = config.databaseUrl().get();
        } else {
            EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(config.embeddedPostgresDir(), config.toolsDir().resolve("postgres"));
            resources.add(pg);
            jdbcUrl = pg.jdbcUrl();
            log.info("embedded PostgreSQL on port {}, data in {}", pg.port(), config.embeddedPostgresDir());
        }
        PostgresDatabase db = PostgresDatabase.connect(jdbcUrl, config.replica().url(), config.databaseUser(), config.databasePassword(), config.databasePoolSize());
        resources.add(0, db);
        RedisEngines live = RedisEngines.create(config.redis());
        resources.add(0, live);

        blobs = BlobStores.create(config);
        if (blobs instanceof AutoCloseable c) resources.add(c);
        var videoRepo = live.videos(new PgVideoRepository(db), db);
        live.bindMetrics(metrics.registry());
        var uploadRepo = new PgUploadRepository(db);
        KafkaWiring kafka = KafkaWiring.create(config.kafka(), db);
        resources.add(0, kafka);
        var queue = kafka.jobQueue();
        var events = new PgEventLog(db);
        // Areas that react to domain events subscribe here before start() at the end of boot.
        dispatcher = new EventDispatcher(events, Duration.ofMillis(250));
        resources.add(0, dispatcher);
        metrics.watchQueue(queue);
        kafka.relayEvents(dispatcher);

        SearchEngine searchEngine = SearchEngines.create(config.search(), db, clock);
        if (searchEngine instanceof AutoCloseable c) resources.add(c);
        subscribeSearch(searchEngine, new PgSearchDocuments(db));

        Ffmpeg ffmpeg = config.ffmpegPath().isPresent()
                ? Ffmpeg.system(config.ffmpegPath().get(), config.ffprobePath().orElse(config.ffmpegPath().get().resolveSibling("ffprobe")))
                : Ffmpeg.bundled(config.toolsDir());

        if (role.works) {
            List<JobHandler> handlers = List.of(new TranscodeJobHandler(videoRepo, blobs, db, events, ffmpeg,
                    config.workDir(), config.x264Preset(), metrics::timeToPlayable));
            worker = new Worker(queue, handlers, new Worker.Settings(config.workerConcurrency(), config.jobLease(),
                    Duration.ofSeconds(1), new Backoff(config.jobRetryBase(), Duration.ofMinutes(30))), metrics);
            kafka.wake(worker);
            if (config.workerConcurrency() > 0) worker.start();
            resources.add(0, worker);
        }

        if (role.serves) {
            Secrets secrets = Secrets.load(config.authSecret(), config.secretsDir());
            AccessTokens accessTokens = new AccessTokens(secrets.derive("access-token"), config.accessTokenTtl(), clock);
            PlaybackTokens playbackTokens = new PlaybackTokens(secrets.derive("playback-token"), config.playbackTokenTtl(),
                    config.security().privatePlaybackTtl(), clock);
            SessionStore sessions = new SessionStore(db, config.sessionTtl(), clock);
            Authenticator auth = new Authenticator(accessTokens, sessions);
            Runnable wake = worker == null ? () -> {} : worker::wakeUp;
            VideoService videos = new VideoService(videoRepo, blobs, db, events, clock);
            Engagement engagement = new Engagement(db, blobs, events, dispatcher, videoRepo, videos, auth, playbackTokens, config, clock, live);
            resources.add(0, engagement);
            UploadService uploads = new UploadService(uploadRepo, videoRepo, queue, blobs, db, events, clock,
                    new UploadService.Settings(config.uploadMaxSizeBytes(), config.uploadExpiry(), config.security().maxUnfinishedUploads()), wake, engagement.quota);
            AccountService accounts = new AccountService(new PgUserRepository(db), new Argon2PasswordHasher(), clock, db,
                    engagement.channels::createFor);
            VideoViews videoViews = engagement.videoViews;
            SubscriptionFeed followed = (userId, limit) -> engagement.subscriptions.feed(userId, java.util.Optional.empty(), limit)
                    .stream().map(org.kinora.core.video.Video::id).toList();
            SearchService search = new SearchService(searchEngine, videoRepo, videos, followed);

            Map<String, BooleanSupplier> checks = new LinkedHashMap<>();
            checks.put("database", db::isReachable);
            checks.put("blob_store", BlobStores.health(blobs));
            checks.put("ffmpeg", () -> Files.isExecutable(ffmpeg.ffmpegExecutable()));
            if (searchEngine instanceof OpenSearchEngine os) checks.put("search", os::isReachable);
            kafka.addHealthChecks(checks);
            live.addHealthChecks(checks);
            List<Routes> routes = new ArrayList<>(List.of(
                    new ForwardedHeaders(config.security().trustedProxies(), config.security().allowedHosts(), config.host(), config.publicUrl()),
                    new RequestHardening(config.publicUrl()),
                    new StreamGate(videos, auth, config.security().maxStreamsPerUser()),
                    new HealthRoutes(checks, metrics, config.security().metricsToken()),
                    new AuthRoutes(accounts, accessTokens, sessions, auth, new SignInThrottle(config.security(), clock)),
                    new TusRoutes(uploads, auth, metrics),
                    new VideoRoutes(videos, videoViews, auth, live.bus(), live.statusPoll()),
                    new SearchRoutes(search, videoViews, auth, clock),
                    new OriginRoutes(blobs, videos, playbackTokens, BlobStores.mediaRedirects(config, blobs)),
                    new WebRoutes(new PageRenderer(Json.mapper(), config.publicUrl()), videos, videoViews, accounts, engagement.channels, auth)));
            routes.addAll(engagement.routes());
            web = new WebServer(Json.mapper(), metrics, routes);
            web.start(config.host(), config.port());
            resources.add(0, web);

            ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("upload-expiry").daemon().factory());
            sweeper.scheduleWithFixedDelay(() -> {
                try {
                    uploads.expireStale();
                } catch (Exception e) {
                    log.warn("sweeping expired uploads failed: {}", e.toString());
                }
            }, 1, 10, TimeUnit.MINUTES);
            if (!config.eventRetention().isZero()) {
                sweeper.scheduleWithFixedDelay(new OutboxRetention(events, config.eventRetention(), clock), 2, 10, TimeUnit.MINUTES);
            }
            resources.add(0, sweeper::shutdownNow);
            log.info("Kinora {} listening on http://{}:{}", role.name().toLowerCase(), config.host(), web.port());
        }
        dispatcher.start();
    }

    /**
     * An engine with its own index (OpenSearch) follows the domain events: after every event that
     * may change a video's document or its visibility (a counted view changes its view total and
     * trending heat) the indexer re-reads the video. An index that does not exist yet is built from
     * the database first. The PostgreSQL engine reads the tables themselves and needs no events.
     */
    private void subscribeSearch(SearchEngine engine, PgSearchDocuments documents) {
        if (!engine.keepsOwnIndex()) return;
        SearchIndexer indexer = new SearchIndexer(engine, documents);
        if (engine instanceof OpenSearchEngine os && !os.indexExists()) indexer.rebuildAll();
        dispatcher.subscribe("search", SearchIndexer.EVENT_TYPES, event -> indexer.refresh(event.subjectId()));
    }

    /** The HTTP port, once started with a serving role. */
    public int port() {
        if (web == null) throw new IllegalStateException("this role serves no HTTP");
        return web.port();
    }

    public Worker worker() { return worker; }

    /** Where this Kinora keeps media (the local directory or the S3 bucket). */
    public BlobStore blobs() { return blobs; }

    /** The JDBC URL in use: the embedded database's, for other processes to share it. */
    public String databaseUrl() { return jdbcUrl; }

    @Override
    public void close() {
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", r, e.toString());
            }
        }
        resources.clear();
    }
}
