package org.kinora.adapters.redis;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * One pooled connection to a Redis server ({@code redis://[:password@]host:port[/db]}), shared by
 * the video cache, the counters and the live bus of a process. Checked with a PING at start so
 * that a wrong {@code redis.url} fails the boot with a clear message instead of every request.
 */
public final class Redis implements AutoCloseable {
    static final String PREFIX = "kinora:";

    private final String url;
    private final UnifiedJedis client;
    private final ObjectMapper json = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Redis(String url, UnifiedJedis client) {
        this.url = url;
        this.client = client;
    }

    public static Redis connect(String url, int poolSize) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("redis.url '" + url + "' is not a URL like redis://127.0.0.1:6379.", e);
        }
        if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
            throw new IllegalArgumentException("redis.url must start with redis:// or rediss://, not '" + url + "'.");
        }
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(poolSize);
        pool.setMaxIdle(poolSize);
        // A borrower waits this long for a free connection, then the call fails (and callers fall back to the database).
        pool.setMaxWait(Duration.ofSeconds(2));
        UnifiedJedis client = RedisClient.builder().fromURI(uri).poolConfig(pool).build();
        Redis redis = new Redis(url, client);
        try {
            client.ping();
        } catch (RuntimeException e) {
            client.close();
            throw new IllegalStateException("Redis at " + redacted(uri) + " does not answer (" + e.getMessage()
                    + "). Start it, or fix redis.url (or empty it to run without Redis).", e);
        }
        return redis;
    }

    private static String redacted(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 6379 : uri.getPort());
    }

    UnifiedJedis client() { return client; }

    ObjectMapper json() { return json; }

    /** True when a PING answers: the readiness check. */
    public boolean isReachable() {
        try {
            return "PONG".equalsIgnoreCase(client.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "Redis " + redacted(URI.create(url));
    }

    @Override
    public void close() {
        client.close();
    }

    /** Logs a Redis failure at most every 10 s, so that an outage does not flood the log. */
    static final class Complaints {
        private final AtomicLong lastNanos = new AtomicLong(System.nanoTime() - Duration.ofMinutes(1).toNanos());

        void warn(Logger log, String what, RuntimeException e) {
            long now = System.nanoTime();
            long last = lastNanos.get();
            if (now - last > Duration.ofSeconds(10).toNanos() && lastNanos.compareAndSet(last, now)) {
                log.warn("Redis: {} failed ({}); falling back to the database", what, e.toString());
            }
        }
    }
}
