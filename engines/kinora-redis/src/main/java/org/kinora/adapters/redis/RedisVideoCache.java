package org.kinora.adapters.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.kinora.core.video.VideoCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.params.SetParams;

/**
 * Cache-aside for video metadata in Redis: {@code kinora:video:{id}} holds the JSON entry with a
 * TTL. Stampede protection in two layers: within a process, concurrent misses of one id share a
 * single load (single flight); across processes, the loader holds {@code kinora:mx:video:{id}}
 * (SET NX PX, a few seconds) while the others poll for the entry it writes, and load themselves
 * only if it does not come before the lock would have expired.
 *
 * <p>Invalidation race: a reader that loaded the row just before a change committed must not put
 * the old row back after the change's invalidation. Each id has a generation counter
 * {@code kinora:video:{id}:gen}; the loader reads it before going to the database and a Lua
 * script writes the entry only if it is unchanged; {@link #invalidate} deletes the entry and
 * increments it in one script.
 *
 * <p>When Redis fails, reads go to the database (logged at most every 10 s). An invalidation
 * that fails cannot be repaired later; the TTL bounds how long such an entry can live.
 */
public final class RedisVideoCache implements VideoCache {
    private static final Logger log = LoggerFactory.getLogger(RedisVideoCache.class);
    private static final String SET_IF_GENERATION = """
            local g = redis.call('GET', KEYS[2]) or ''
            if g == ARGV[1] then
              redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
              return 1
            end
            return 0""";
    private static final String INVALIDATE = """
            redis.call('DEL', KEYS[1])
            redis.call('INCR', KEYS[2])
            redis.call('PEXPIRE', KEYS[2], ARGV[1])
            return 1""";
    private static final String UNLOCK = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0""";
    private static final Duration POLL = Duration.ofMillis(10);

    private final Redis redis;
    private final long ttlMillis;
    private final long lockMillis;
    /** Generations must outlive any load and any entry, or an old load could match a new counter. */
    private final long generationMillis;
    private final Map<String, CompletableFuture<Optional<Entry>>> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final Redis.Complaints complaints = new Redis.Complaints();

    public RedisVideoCache(Redis redis, Duration ttl, Duration lock) {
        this.redis = redis;
        this.ttlMillis = ttl.toMillis();
        this.lockMillis = lock.toMillis();
        this.generationMillis = Math.max(ttlMillis, Duration.ofHours(1).toMillis()) * 2;
    }

    static String key(String id) { return Redis.PREFIX + "video:" + id; }

    private static String generationKey(String id) { return key(id) + ":gen"; }

    private static String lockKey(String id) { return Redis.PREFIX + "mx:video:" + id; }

    public long hits() { return hits.get(); }

    public long misses() { return misses.get(); }

    @Override
    public Optional<Entry> get(String videoId, Function<String, Optional<Entry>> loader) {
        String cached;
        try {
            cached = redis.client().get(key(videoId));
        } catch (RuntimeException e) {
            complaints.warn(log, "reading the video cache", e);
            return loader.apply(videoId);
        }
        Entry hit = cached == null ? null : decode(cached);
        if (hit != null) {
            hits.incrementAndGet();
            return Optional.of(hit);
        }
        misses.incrementAndGet();
        CompletableFuture<Optional<Entry>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<Entry>> running = inFlight.putIfAbsent(videoId, mine);
        if (running != null) return await(running);
        try {
            Optional<Entry> loaded = loadOnce(videoId, loader);
            mine.complete(loaded);
            return loaded;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(videoId, mine);
        }
    }

    private static Optional<Entry> await(CompletableFuture<Optional<Entry>> running) {
        try {
            return running.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw e;
        }
    }

    /** The load of this process: under the cross-process lock, or waiting for the process that holds it. */
    private Optional<Entry> loadOnce(String id, Function<String, Optional<Entry>> loader) {
        long deadline = System.nanoTime() + Duration.ofMillis(lockMillis).toNanos();
        try {
            while (true) {
                String token = UUID.randomUUID().toString();
                if ("OK".equals(redis.client().set(lockKey(id), token, SetParams.setParams().nx().px(lockMillis)))) {
                    try {
                        // A reader that missed just before the previous loader wrote its entry (and let go of
                        // the lock and the single flight) finds that entry here instead of loading again.
                        String already = redis.client().get(key(id));
                        Entry written = already == null ? null : decode(already);
                        if (written != null) return Optional.of(written);
                        String generation = redis.client().get(generationKey(id));
                        Optional<Entry> loaded = loader.apply(id);
                        loaded.ifPresent(e -> redis.client().eval(SET_IF_GENERATION, List.of(key(id), generationKey(id)),
                                List.of(generation == null ? "" : generation, encode(e), Long.toString(ttlMillis))));
                        return loaded;
                    } finally {
                        redis.client().eval(UNLOCK, List.of(lockKey(id)), List.of(token));
                    }
                }
                Thread.sleep(POLL.toMillis());
                String cached = redis.client().get(key(id));
                Entry written = cached == null ? null : decode(cached);
                if (written != null) return Optional.of(written);
                // The holder is slow or gone: answer from the database rather than keep the viewer waiting.
                if (System.nanoTime() > deadline) return loader.apply(id);
                // Otherwise try for the lock again: the holder found nothing to cache, or an invalidation voided its write.
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return loader.apply(id);
        } catch (redis.clients.jedis.exceptions.JedisException e) {
            complaints.warn(log, "loading into the video cache", e);
            return loader.apply(id);
        }
    }

    @Override
    public void invalidate(String videoId) {
        try {
            redis.client().eval(INVALIDATE, List.of(key(videoId), generationKey(videoId)), List.of(Long.toString(generationMillis)));
        } catch (RuntimeException e) {
            log.error("Redis: dropping the cached video {} failed ({}); it may be served stale for up to {} s",
                    videoId, e.toString(), ttlMillis / 1000);
        }
    }

    private String encode(Entry e) {
        try {
            return redis.json().writeValueAsString(e);
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    /** The entry, or null when it cannot be read (written by another version of Kinora): a miss, then overwritten. */
    private Entry decode(String s) {
        try {
            return redis.json().readValue(s, Entry.class);
        } catch (IOException x) {
            log.debug("a cached video entry could not be read: {}", x.getMessage());
            return null;
        }
    }
}
