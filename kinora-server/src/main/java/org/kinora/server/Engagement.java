package org.kinora.server;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.kinora.adapters.image.ImageIoProcessor;
import org.kinora.adapters.postgres.PgAccountSettingsRepository;
import org.kinora.adapters.postgres.PgChannelRepository;
import org.kinora.adapters.postgres.PgCommentRepository;
import org.kinora.adapters.postgres.PgHistoryRepository;
import org.kinora.adapters.postgres.PgIdempotencyRepository;
import org.kinora.adapters.postgres.PgNotificationRepository;
import org.kinora.adapters.postgres.PgPlaylistRepository;
import org.kinora.adapters.postgres.PgReactionRepository;
import org.kinora.adapters.postgres.PgSubscriptionRepository;
import org.kinora.adapters.postgres.PgUserRepository;
import org.kinora.adapters.postgres.PgVideoStatsRepository;
import org.kinora.adapters.postgres.PgViewRepository;
import org.kinora.adapters.postgres.PostgresDatabase;
import org.kinora.core.account.AccountAdminService;
import org.kinora.core.account.UploadQuotaPolicy;
import org.kinora.core.blob.BlobStore;
import org.kinora.core.channel.ChannelService;
import org.kinora.core.channel.SubscriptionService;
import org.kinora.core.comment.CommentService;
import org.kinora.core.common.Clock;
import org.kinora.core.common.RateLimiter;
import org.kinora.core.engagement.RatingService;
import org.kinora.core.events.EventDispatcher;
import org.kinora.core.events.EventLog;
import org.kinora.core.notify.NotificationHub;
import org.kinora.core.notify.NotificationProducer;
import org.kinora.core.notify.NotificationService;
import org.kinora.core.playlist.PlaylistService;
import org.kinora.core.video.VideoRepository;
import org.kinora.core.video.VideoService;
import org.kinora.core.view.HistoryService;
import org.kinora.core.view.ViewRecorder;
import org.kinora.server.account.AccountRoutes;
import org.kinora.server.channels.ChannelImages;
import org.kinora.server.channels.ChannelRoutes;
import org.kinora.server.comments.CommentRoutes;
import org.kinora.server.config.KinoraConfig;
import org.kinora.server.engagement.RatingRoutes;
import org.kinora.server.http.Authenticator;
import org.kinora.server.http.IdempotencyFilter;
import org.kinora.server.http.Routes;
import org.kinora.server.http.WriteRateLimit;
import org.kinora.server.notifications.NotificationRoutes;
import org.kinora.server.playback.PlaybackTokens;
import org.kinora.server.playlists.PlaylistRoutes;
import org.kinora.server.redis.RedisEngines;
import org.kinora.server.videos.VideoViews;
import org.kinora.server.views.ViewRoutes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wiring of channels, subscriptions, ratings, comments, views, history, playlists, notifications,
 * roles and limits: the services, their routes and their background tasks.
 */
final class Engagement implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Engagement.class);

    final AccountAdminService accounts;
    final UploadQuotaPolicy quota;
    final ChannelService channels;
    final SubscriptionService subscriptions;
    final VideoViews videoViews;
    final ViewRecorder recorder;
    private final List<Routes> routes;
    private final List<Routes> filters;
    private final ScheduledExecutorService background;

    Engagement(PostgresDatabase db, BlobStore blobs, EventLog events, EventDispatcher dispatcher, VideoRepository videoRepo,
               VideoService videos, Authenticator auth, PlaybackTokens playbackTokens, KinoraConfig config, Clock clock,
               RedisEngines live) {
        KinoraConfig.Engagement settings = config.engagement();
        var users = new PgUserRepository(db);
        var accountSettings = new PgAccountSettingsRepository(db);
        accounts = new AccountAdminService(accountSettings, users, settings.uploadQuotaBytes());
        quota = new UploadQuotaPolicy(accountSettings, accounts);

        var subscriptionRepo = new PgSubscriptionRepository(db);
        channels = new ChannelService(new PgChannelRepository(db), subscriptionRepo, blobs, new ImageIoProcessor(), accounts, clock);
        subscriptions = new SubscriptionService(subscriptionRepo, channels, db, events, clock);

        var stats = new PgVideoStatsRepository(db);
        var ratings = new RatingService(new PgReactionRepository(db), stats, videos, db, events, clock);

        var notifications = new NotificationService(new PgNotificationRepository(db), new NotificationHub(live.bus()), db, clock);
        var commentRepo = new PgCommentRepository(db);
        var comments = new CommentService(commentRepo, videos, accounts, events,
                new RateLimiter("comment", settings.commentsPerMinute(), settings.commentsPerMinute(), clock), db, clock);
        dispatcher.subscribe(NotificationProducer.CONSUMER, NotificationProducer.TYPES,
                new NotificationProducer(notifications, commentRepo, videoRepo, channels));

        var viewRepo = new PgViewRepository(db);
        var historyRepo = new PgHistoryRepository(db);
        recorder = new ViewRecorder(viewRepo, historyRepo, db, events, clock, settings.viewWindow(), 200_000);
        var history = new HistoryService(recorder, historyRepo, viewRepo, videos, accounts, clock);
        var playlists = new PlaylistService(new PgPlaylistRepository(db), videos, db, clock);

        videoViews = new VideoViews(videos, channels, live.stats(stats), ratings, history, playbackTokens, config.publicUrl());
        RateLimiter playEvents = new RateLimiter("play event", settings.playEventsPerMinute(), settings.playEventsPerMinute(), clock);
        filters = List.of(
                new WriteRateLimit(new RateLimiter("write", settings.writesPerMinute(), settings.writesPerMinute(), clock), auth),
                new IdempotencyFilter(new PgIdempotencyRepository(db), auth));
        routes = List.of(
                new AccountRoutes(accounts, users, channels, auth),
                new ChannelRoutes(channels, subscriptions, videos, videoViews, auth),
                new ChannelImages(blobs),
                new RatingRoutes(ratings, auth),
                new CommentRoutes(comments, videos, channels, accounts, auth),
                new ViewRoutes(history, videoViews, auth, playEvents),
                new PlaylistRoutes(playlists, channels, videoViews, auth),
                new NotificationRoutes(notifications, channels, auth));

        background = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("engagement").daemon().factory());
        long flushMs = settings.viewFlushInterval().toMillis();
        background.scheduleWithFixedDelay(this::flushViews, flushMs, flushMs, TimeUnit.MILLISECONDS);
        var idempotency = new PgIdempotencyRepository(db);
        background.scheduleWithFixedDelay(() -> {
            try {
                viewRepo.pruneMarks(clock.now().minus(settings.viewWindow()));
                idempotency.deleteOlderThan(clock.now().minus(Duration.ofHours(24)));
            } catch (RuntimeException e) {
                log.warn("pruning view marks and idempotency keys failed: {}", e.toString());
            }
        }, 5, 60, TimeUnit.MINUTES);
    }

    private void flushViews() {
        try {
            recorder.flush();
        } catch (RuntimeException e) {
            // The batch is lost (views are allowed to be approximate); the next flush starts clean.
            log.warn("writing play events failed: {}", e.toString());
        }
    }

    /** Filters (rate limit, idempotency) first, then the routes. */
    List<Routes> routes() {
        return java.util.stream.Stream.concat(filters.stream(), routes.stream()).toList();
    }

    @Override
    public void close() {
        background.shutdownNow();
        try {
            background.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flushViews(); // what is still buffered is written before the database closes
        log.debug("engagement stopped at {}", Instant.now());
    }
}
