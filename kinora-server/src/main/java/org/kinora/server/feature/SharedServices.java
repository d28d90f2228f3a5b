package org.kinora.server.feature;

import java.io.IOException;
import org.kinora.adapters.postgres.PgAccountSettingsRepository;
import org.kinora.adapters.postgres.PgAdminDirectory;
import org.kinora.adapters.postgres.PgInstanceSettingsRepository;
import org.kinora.adapters.postgres.PgBlockRepository;
import org.kinora.adapters.postgres.PgChannelRepository;
import org.kinora.adapters.postgres.PgHistoryRepository;
import org.kinora.adapters.postgres.PgPlaybackRevocations;
import org.kinora.adapters.postgres.PgReactionRepository;
import org.kinora.adapters.postgres.PgRestrictionRepository;
import org.kinora.adapters.postgres.PgSubscriptionRepository;
import org.kinora.adapters.postgres.PgUserRepository;
import org.kinora.adapters.postgres.PgVideoStatsRepository;
import org.kinora.adapters.postgres.PgViewRepository;
import org.kinora.adapters.postgres.PostgresDatabase;
import org.kinora.adapters.image.ImageIoProcessor;
import org.kinora.core.account.AccountAdminService;
import org.kinora.core.admin.AccountGate;
import org.kinora.core.admin.AdminDirectory;
import org.kinora.core.admin.InstanceSettings;
import org.kinora.core.admin.InstanceSettingsService;
import org.kinora.core.account.AccountService;
import org.kinora.core.account.UploadQuotaPolicy;
import org.kinora.core.account.UserRepository;
import org.kinora.core.geo.CountryLookup;
import org.kinora.core.channel.ChannelService;
import org.kinora.core.channel.SubscriptionService;
import org.kinora.core.common.Clock;
import org.kinora.core.engagement.RatingService;
import org.kinora.core.events.EventLog;
import org.kinora.core.comment.CommentGate;
import org.kinora.core.moderation.ChannelBlocks;
import org.kinora.core.moderation.HoldPolicy;
import org.kinora.core.moderation.ModerationCommentGate;
import org.kinora.core.moderation.Restrictions;
import org.kinora.core.upload.UploadQuota;
import org.kinora.core.playback.PlaybackRevocations;
import org.kinora.core.video.VideoService;
import org.kinora.core.view.HistoryService;
import org.kinora.core.view.ViewRecorder;
import org.kinora.core.view.ViewRepository;
import org.kinora.server.auth.AccessTokens;
import org.kinora.server.auth.Argon2PasswordHasher;
import org.kinora.server.auth.Secrets;
import org.kinora.server.auth.SessionStore;
import org.kinora.server.config.KinoraConfig;
import org.kinora.server.engines.Engines;
import org.kinora.server.http.Authenticator;
import org.kinora.server.playback.PlaybackTokens;
import org.kinora.server.videos.VideoViews;

/**
 * The services that more than one serving feature reads, built once here in dependency order
 * (account roles before channels, channels before sign-up, which creates the user's channel;
 * channels, ratings and history before {@link VideoViews}, which shows a video with all three).
 * Everything a single feature uses alone is built in that feature.
 */
public final class SharedServices {
    public final Authenticator auth;
    public final AccessTokens accessTokens;
    /** Web sessions, kept server-side so that sign-out and a password change end them. */
    public final SessionStore sessions;
    public final PlaybackTokens playbackTokens;
    public final VideoService videos;
    public final UserRepository users;
    /** Roles and upload quotas of accounts. */
    public final AccountAdminService accountAdmin;
    /** The account's standing (then its quota in bytes), checked when an upload is created. */
    public final UploadQuota quota;
    /** What moderation decided about videos (taken down, held) and accounts (frozen, suspended, terminated), enforced. */
    public final Restrictions restrictions;
    /** Moderation's say over comments: closed, held for approval, hidden and blocked authors. */
    public final CommentGate commentGate;
    public final ChannelService channels;
    /** The channels each viewer blocked, left out of the listings made for them. */
    public final ChannelBlocks channelBlocks;
    public final SubscriptionService subscriptions;
    /** Sign-up and sign-in. */
    public final AccountService accounts;
    public final RatingService ratings;
    public final ViewRepository viewMarks;
    public final ViewRecorder views;
    public final HistoryService history;
    public final VideoViews videoViews;
    /** Sign-up mode, default quota and write budget as admins set them (issue 18b). */
    public final InstanceSettingsService instanceSettings;
    public final AdminDirectory adminDirectory;
    /** Closed sign-ups, approval, suspended accounts. */
    public final AccountGate accountGate;
    /**
     * The country of a viewer's address (the IP-to-country database the build bundles, or
     * {@code geo.database-file}): geo restrictions and analytics' countries read it.
     */
    public final CountryLookup countryLookup;
    /** Takedown of cached playback at the edge (private, deleted, moderation): see PlaybackRevocations. */
    public final PlaybackRevocations playbackRevocations;
    /** Viewers' dates of birth (age-restricted videos). */
    public final org.kinora.core.playback.BirthDates birthDates;
    /** Every video's age restriction and content protection, in memory (refreshed each second by ProtectionFeature). */
    public final org.kinora.server.protection.PlaybackSettingsCache playbackSettings;
    /** Who may play an age-restricted video; asked before a playback token is minted and again by the origin. */
    public final org.kinora.server.protection.PlaybackGate playbackGate;
    /** Every video's country rules in memory (refreshed by the geo feature's task): the origin and the media port read them. */
    public final org.kinora.server.geo.CountryRulesCache countryRules;
    /** The encrypted copies of protected videos' media (HLS AES-128, DASH CENC), served by the origin. */
    public final org.kinora.server.protection.ProtectedMedia protectedMedia;
    /** Holds a completed upload for review when the instance's policy says so, in the completion transaction. */
    public final org.kinora.core.upload.ReviewHold uploadReviewHold;

    public SharedServices(Platform p) throws IOException {
        KinoraConfig config = p.config();
        Clock clock = p.clock();
        Engines engines = p.engines();
        PostgresDatabase db = engines.database();
        EventLog events = engines.events();
        KinoraConfig.Engagement settings = config.engagement();

        Secrets secrets = Secrets.load(config.authSecret(), config.secretsDir());
        accessTokens = new AccessTokens(secrets.derive("access-token"), config.accessTokenTtl(), clock);
        playbackTokens = new PlaybackTokens(secrets.derive(PlaybackTokens.KEY_PURPOSE), config.playbackTokenTtl(),
                config.security().privatePlaybackTtl(), clock);
        sessions = new SessionStore(db, config.sessionTtl(), clock);
        auth = new Authenticator(accessTokens, sessions);
        countryLookup = org.kinora.server.geo.MaxMindCountryLookup.open(config.delivery().countryDatabase());

        users = new PgUserRepository(db);
        var accountSettings = new PgAccountSettingsRepository(db);
        KinoraConfig.Moderation m = config.moderation();
        // The config file's holds are the defaults; admins change them at run time (instance settings).
        instanceSettings = new InstanceSettingsService(new PgInstanceSettingsRepository(db), new InstanceSettings(
                InstanceSettings.SignUps.OPEN, settings.uploadQuotaBytes(), settings.writesPerMinute(),
                new HoldPolicy(m.holdNewAccountDays(), m.holdUntilPublished(), m.holdKeywords(), m.holdVideosByKeyword())), clock);
        accountAdmin = new AccountAdminService(accountSettings, users, instanceSettings::uploadQuotaBytes);
        adminDirectory = new PgAdminDirectory(db);
        accountGate = new AccountGate(instanceSettings, adminDirectory, accountAdmin);
        restrictions = new Restrictions(new PgRestrictionRepository(db), accountAdmin, clock);
        videos = new VideoService(engines.videos(), engines.blobs(), db, events, clock, restrictions);
        quota = restrictions.before(new UploadQuotaPolicy(accountSettings, accountAdmin));
        channelBlocks = new ChannelBlocks(new PgBlockRepository(db));
        commentGate = new ModerationCommentGate(new PgRestrictionRepository(db), new PgBlockRepository(db), instanceSettings::holds,
                accountAdmin, clock);

        var subscriptionRepo = new PgSubscriptionRepository(db);
        channels = new ChannelService(new PgChannelRepository(db), subscriptionRepo, engines.blobs(), new ImageIoProcessor(),
                accountAdmin, clock);
        subscriptions = new SubscriptionService(subscriptionRepo, channels, db, events, clock);
        accounts = new AccountService(users, new Argon2PasswordHasher(), clock, db, channels::createFor);

        var stats = new PgVideoStatsRepository(db);
        ratings = new RatingService(new PgReactionRepository(db), stats, videos, db, events, clock);
        viewMarks = new PgViewRepository(db);
        var historyRepo = new PgHistoryRepository(db);
        views = new ViewRecorder(viewMarks, historyRepo, db, events, clock, settings.viewWindow(), 200_000);
        history = new HistoryService(views, historyRepo, viewMarks, videos, accountAdmin, clock);
        playbackRevocations = new PgPlaybackRevocations(db, clock);
        birthDates = new org.kinora.adapters.postgres.PgBirthDates(db);
        playbackSettings = new org.kinora.server.protection.PlaybackSettingsCache(new org.kinora.adapters.postgres.PgVideoPlaybackSettings(db));
        countryRules = new org.kinora.server.geo.CountryRulesCache(new org.kinora.adapters.postgres.PgVideoCountryRules(engines.database()));
        playbackGate = new org.kinora.server.protection.PlaybackGate(playbackSettings, birthDates, clock, config.delivery().contentProtection(),
                config.delivery().dashEncryptionScheme());
        protectedMedia = org.kinora.server.protection.ProtectedMedia.create(engines.blobs(), playbackGate,
                secrets.derive(org.kinora.server.protection.ProtectedMedia.KEY_PURPOSE), config.delivery().keyRotationSegments());
        uploadReviewHold = new org.kinora.server.moderation.UploadReviewHold(instanceSettings::holds, users, engines.videos(), channels,
                accountAdmin, new PgRestrictionRepository(db), events, clock);
        videoViews = new VideoViews(videos, channels, engines.stats(stats), ratings, history, playbackTokens, config.publicUrl(),
                config.delivery().mediaUrl(), playbackGate);
    }
}
