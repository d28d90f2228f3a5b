package org.kinora.server;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.kinora.core.common.Clock;
import org.kinora.core.blob.BlobStore;
import org.kinora.core.events.EventDispatcher;
import org.kinora.core.jobs.Backoff;
import org.kinora.core.jobs.Worker;
import org.kinora.media.ffmpeg.Ffmpeg;
import org.kinora.server.account.AccountsFeature;
import org.kinora.server.admin.AdminFeature;
import org.kinora.server.mail.EmailFeature;
import org.kinora.server.privacy.AccountDataFeature;
import org.kinora.server.analytics.AnalyticsFeature;
import org.kinora.server.apidocs.ApiDocsFeature;
import org.kinora.server.captions.CaptionsFeature;
import org.kinora.server.channels.ChannelsFeature;
import org.kinora.server.details.VideoDetailsFeature;
import org.kinora.server.comments.CommentsFeature;
import org.kinora.server.cors.CorsFeature;
import org.kinora.server.config.KinoraConfig;
import org.kinora.server.engagement.RatingsFeature;
import org.kinora.server.engines.Engines;
import org.kinora.server.feature.Contributions;
import org.kinora.server.feature.Feature;
import org.kinora.server.feature.Platform;
import org.kinora.server.feature.SharedServices;
import org.kinora.server.geo.GeoFeature;
import org.kinora.server.http.ApiPoliciesFeature;
import org.kinora.server.http.Json;
import org.kinora.server.http.WebServer;
import org.kinora.server.moderation.ModerationFeature;
import org.kinora.server.live.LiveFeature;
import org.kinora.server.notifications.NotificationsFeature;
import org.kinora.server.ops.Metrics;
import org.kinora.server.ops.OpsFeature;
import org.kinora.server.http.RequestSafetyFeature;
import org.kinora.server.playback.PlaybackFeature;
import org.kinora.server.playlists.PlaylistsFeature;
import org.kinora.server.search.SearchFeature;
import org.kinora.server.search.SearchIndexFeature;
import org.kinora.server.thumbnails.ThumbnailsFeature;
import org.kinora.server.transcode.TranscodingFeature;
import org.kinora.server.upload.UploadsFeature;
import org.kinora.server.videos.VideosFeature;
import org.kinora.server.views.ViewsFeature;
import org.kinora.server.web.WebPagesFeature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Kinora: selects the engines the config names, asks each feature of this role to
 * contribute, and starts what they contributed. Everything is built with constructors; there is
 * no container. Everything opened is closed in the reverse order it was opened.
 */
public final class Kinora implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Kinora.class);

    /**
     * What this process does: everything, only the HTTP API, only background jobs, or only live
     * ingest (RTMP, the live ladder, and the HTTP live edge the API nodes forward playlists and
     * parts to; no other route, no job).
     */
    public enum Role {
        SERVER(true, true, true), API(true, false, false), WORKER(false, true, false), LIVE(true, false, true);

        final boolean serves;
        final boolean works;
        /** Takes RTMP publishers (when {@code live.enabled}). */
        final boolean ingests;

        Role(boolean serves, boolean works, boolean ingests) {
            this.serves = serves;
            this.works = works;
            this.ingests = ingests;
        }
    }

    private final Closer resources = new Closer();
    private Engines engines;
    private WebServer web;
    private volatile Worker worker;

    private Kinora() {}

    public static Kinora start(KinoraConfig config, Role role) throws IOException {
        return start(config, role, Clock.system());
    }

    /** With the clock the domain reads (tests drive time through it; production uses the system clock). */
    public static Kinora start(KinoraConfig config, Role role, Clock clock) throws IOException {
        Kinora k = new Kinora();
        try {
            k.boot(config, role, clock);
        } catch (IOException | RuntimeException e) {
            k.close();
            throw e;
        }
        return k;
    }

    private void boot(KinoraConfig config, Role role, Clock clock) throws IOException {
        Files.createDirectories(config.dataDir());
        Metrics metrics = new Metrics();
        engines = resources.add(Engines.select(config, clock));
        engines.bindMetrics(metrics.registry());
        metrics.watchQueue(engines.jobs());
        // Features that react to domain events subscribe while contributing; it starts at the end of boot.
        EventDispatcher dispatcher = resources.add(new EventDispatcher(engines.events(), Duration.ofMillis(250)));
        engines.relayEvents(dispatcher);

        // webPort: the main listener's port once it listens (server.port may be 0: any free port), for the media port's redirects.
        Platform p = new Platform(config, clock, metrics, engines, ffmpeg(config), this::wakeWorker, () -> web == null ? config.port() : web.port());
        Contributions c = new Contributions(dispatcher, engines, metrics, resources);
        for (Feature f : features(p, role)) f.contribute(c);

        if (role.works) {
            worker = resources.add(new Worker(engines.jobs(), c.jobHandlers(), new Worker.Settings(config.workerConcurrency(),
                    config.jobLease(), Duration.ofSeconds(1), new Backoff(config.jobRetryBase(), Duration.ofMinutes(30))), metrics));
            engines.wakeOnJobs(worker);
            if (config.workerConcurrency() > 0) worker.start();
        }
        if (role.serves) {
            web = resources.add(new WebServer(Json.mapper(), metrics, c.routes()));
            web.start(config.host(), config.port());
            log.info("Kinora {} listening on http://{}:{}", role.name().toLowerCase(), config.host(), web.port());
        }
        resources.add(ScheduledTasks.start(c.tasks()));
        dispatcher.start();
    }

    /**
     * The features this role runs, in the order they register (filters before the routes they
     * guard). A new capability is one more line here.
     */
    private static List<Feature> features(Platform p, Role role) throws IOException {
        List<Feature> features = new ArrayList<>();
        features.add(new SearchIndexFeature(p));
        if (role.works) features.add(new TranscodingFeature(p));
        if (!role.serves) return features;
        SharedServices shared = new SharedServices(p);
        if (role == Role.LIVE) {
            features.add(new OpsFeature(p)); // health and readiness probes, metrics
            features.add(new LiveFeature(p, shared, LiveFeature.Mode.EDGE_ONLY));
            return features;
        }
        features.add(new RequestSafetyFeature(p, shared)); // first: the filters below read the client address it resolves
        features.add(new CorsFeature(p)); // preflights answered before rate limits and idempotency see them
        // Early: Javalin finds a request's endpoint by trying each route in registration order, several times per
        // request (its before-matched, handler and after-matched steps), and the media route is by far the busiest.
        features.add(new org.kinora.server.protection.ProtectionFeature(p, shared)); // its filters before the origin's route
        features.add(new PlaybackFeature(p, shared));
        features.add(new OpsFeature(p));
        features.add(new ApiPoliciesFeature(p, shared));
        features.add(new AccountsFeature(p, shared));
        features.add(new UploadsFeature(p, shared));
        features.add(new VideosFeature(p, shared));
        features.add(new SearchFeature(p, shared));
        features.add(new GeoFeature(p, shared));
        features.add(new WebPagesFeature(p, shared));
        features.add(new ChannelsFeature(p, shared));
        features.add(new RatingsFeature(shared));
        features.add(new CommentsFeature(p, shared));
        features.add(new ViewsFeature(p, shared));
        features.add(new PlaylistsFeature(p, shared));
        features.add(new NotificationsFeature(p, shared));
        features.add(new CaptionsFeature(p, shared));
        features.add(new VideoDetailsFeature(p, shared));
        features.add(new ThumbnailsFeature(p, shared));
        features.add(new AdminFeature(p, shared));
        features.add(new EmailFeature(p, shared));
        features.add(new AccountDataFeature(p, shared));
        features.add(new ModerationFeature(p, shared));
        features.add(new AnalyticsFeature(p, shared));
        features.add(new LiveFeature(p, shared, role.ingests ? LiveFeature.Mode.INGEST : LiveFeature.Mode.FORWARD));
        features.add(new ApiDocsFeature());
        return features;
    }

    private static Ffmpeg ffmpeg(KinoraConfig config) {
        return config.ffmpegPath().isPresent()
                ? Ffmpeg.system(config.ffmpegPath().get(), config.ffprobePath().orElse(config.ffmpegPath().get().resolveSibling("ffprobe")))
                : Ffmpeg.bundled(config.toolsDir());
    }

    /** An upload completed: this process's worker (if it runs one) looks for the job now instead of at its next poll. */
    private void wakeWorker() {
        Worker w = worker;
        if (w != null) w.wakeUp();
    }

    /** The HTTP port, once started with a serving role. */
    public int port() {
        if (web == null) throw new IllegalStateException("this role serves no HTTP");
        return web.port();
    }

    public Worker worker() { return worker; }

    /** Every endpoint the web server registered ("METHOD path" and its route roles), for the API document test. */
    java.util.Map<String, java.util.Set<String>> registeredEndpoints() {
        return web.registeredEndpoints();
    }

    /** Where this Kinora keeps media (the local directory or the S3 bucket). */
    public BlobStore blobs() { return engines.blobs(); }

    /** The database in use (tests read analytics' raw events through it). */
    org.kinora.adapters.postgres.PostgresDatabase database() { return engines.database(); }

    /** The JDBC URL in use: the embedded database's, for other processes to share it. */
    public String databaseUrl() { return engines.jdbcUrl(); }

    @Override
    public void close() {
        resources.close();
    }
}
