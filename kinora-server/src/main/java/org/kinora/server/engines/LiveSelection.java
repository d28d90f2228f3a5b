package org.kinora.server.engines;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.kinora.adapters.redis.Redis;
import org.kinora.adapters.redis.RedisLiveBus;
import org.kinora.adapters.redis.RedisVideoCache;
import org.kinora.adapters.redis.RedisVideoStats;
import org.kinora.core.common.LiveBus;
import org.kinora.core.common.Transactions;
import org.kinora.core.engagement.VideoStatsRepository;
import org.kinora.core.video.CachingVideoRepository;
import org.kinora.core.video.VideoCache;
import org.kinora.core.video.VideoChanged;
import org.kinora.core.video.VideoRepository;
import org.kinora.server.config.KinoraConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Selects what the {@code redis.*} and {@code cache.*} keys name: the live bus between processes
 * (in-process, or Redis pub/sub when {@code redis.url} is set), the video cache (none, or Redis)
 * and the cached counters. Kinora wraps its repositories through here.
 */
final class LiveSelection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveSelection.class);
    /** Longest a cache miss waits for the node that is loading the same video before loading it itself. */
    private static final Duration LOAD_LOCK = Duration.ofSeconds(3);
    private static final int POOL_SIZE = 32;

    private final KinoraConfig.Redis config;
    private final Optional<Redis> redis;
    private final LiveBus bus;
    private final VideoCache cache;
    private CachingVideoRepository videos;

    private LiveSelection(KinoraConfig.Redis config, Optional<Redis> redis, LiveBus bus, VideoCache cache) {
        this.config = config;
        this.redis = redis;
        this.bus = bus;
        this.cache = cache;
    }

    static LiveSelection select(KinoraConfig.Redis config) {
        if (config.url().isEmpty()) return new LiveSelection(config, Optional.empty(), LiveBus.inProcess(), VideoCache.none());
        Redis redis = Redis.connect(config.url().get(), POOL_SIZE);
        try {
            LiveBus bus = RedisLiveBus.start(redis);
            VideoCache cache = config.caches() ? new RedisVideoCache(redis, config.videoTtl(), LOAD_LOCK) : VideoCache.none();
            log.info("{}: live updates over pub/sub, video cache {}", redis, config.caches() ? "on (TTL " + config.videoTtl().toSeconds() + " s)" : "off");
            return new LiveSelection(config, Optional.of(redis), bus, cache);
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
    }

    LiveBus bus() { return bus; }

    /**
     * How often status streams re-read the database besides waking on the bus. With Redis every
     * process's changes arrive on the bus, so the poll only covers lost messages (2 s); without,
     * a worker in another process is seen only by polling (0.5 s, as before the bus).
     */
    Duration statusPoll() {
        return redis.isPresent() ? Duration.ofSeconds(2) : Duration.ofMillis(500);
    }

    /** The video repository every part of the process uses: cached reads, invalidation and a {@link VideoChanged} after each commit. */
    VideoRepository videos(VideoRepository db, Transactions tx) {
        LiveBus.Topic<VideoChanged> changed = VideoChanged.topic(bus);
        videos = new CachingVideoRepository(db, cache, tx, id -> changed.publish(new VideoChanged(id)));
        return videos;
    }

    /** Counters as the pages show them: through Redis for a few seconds when the cache is on. */
    VideoStatsRepository stats(VideoStatsRepository db) {
        if (redis.isEmpty() || !config.caches() || config.countersTtl().isZero()) return db;
        return new RedisVideoStats(db, redis.get(), config.countersTtl());
    }

    void addHealthChecks(Map<String, BooleanSupplier> checks) {
        redis.ifPresent(r -> checks.put("redis", r::isReachable));
    }

    void bindMetrics(MeterRegistry registry) {
        if (videos != null) {
            FunctionCounter.builder("kinora.video.cache.loads", videos, CachingVideoRepository::loads)
                    .description("video reads that went to the database (cache misses, or every read without a cache)").register(registry);
        }
        if (cache instanceof RedisVideoCache c) {
            FunctionCounter.builder("kinora.video.cache.hits", c, RedisVideoCache::hits).description("video reads answered by Redis").register(registry);
            FunctionCounter.builder("kinora.video.cache.misses", c, RedisVideoCache::misses).description("video reads Redis did not have").register(registry);
        }
    }

    @Override
    public void close() {
        if (bus instanceof RedisLiveBus b) b.close();
        redis.ifPresent(Redis::close);
    }
}
