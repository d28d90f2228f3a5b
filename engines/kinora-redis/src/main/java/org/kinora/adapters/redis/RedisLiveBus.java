package org.kinora.adapters.redis;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.kinora.core.common.LiveBus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPubSub;

/**
 * The {@link LiveBus} over Redis pub/sub: a topic is the channel {@code kinora:bus:{topic}},
 * messages are JSON. One connection per process subscribes to {@code kinora:bus:*} on a thread
 * of its own and hands each message to this process's listeners; a message published here comes
 * back through Redis like any other, so every process (this one included) sees the same stream.
 *
 * <p>Redis pub/sub keeps nothing: a process that is disconnected misses what is sent meanwhile.
 * The subscriber reconnects with backoff; listeners fall back to the database (status streams
 * poll it slowly; notifications are listed from it).
 */
public final class RedisLiveBus implements LiveBus, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisLiveBus.class);
    static final String CHANNEL_PREFIX = Redis.PREFIX + "bus:";

    private final Redis redis;
    private final Listeners listeners = new Listeners();
    private final Map<String, Class<?>> types = new ConcurrentHashMap<>();
    private final Redis.Complaints complaints = new Redis.Complaints();
    private final CountDownLatch subscribed = new CountDownLatch(1);
    private final Thread subscriber;
    private volatile boolean open = true;
    private volatile JedisPubSub pubSub;

    private RedisLiveBus(Redis redis) {
        this.redis = redis;
        this.subscriber = Thread.ofPlatform().name("redis-live-bus").daemon().unstarted(this::subscribeLoop);
    }

    /** Starts the subscriber and waits (up to 10 s) until Redis confirms the subscription. */
    public static RedisLiveBus start(Redis redis) {
        RedisLiveBus bus = new RedisLiveBus(redis);
        bus.subscriber.start();
        try {
            if (!bus.subscribed.await(10, TimeUnit.SECONDS)) {
                bus.close();
                throw new IllegalStateException("Could not subscribe to Redis pub/sub within 10 s; check redis.url and the server's log.");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            bus.close();
            throw new IllegalStateException("interrupted while subscribing to Redis", e);
        }
        return bus;
    }

    @Override
    public <T> Topic<T> topic(String name, Class<T> type) {
        Class<?> known = types.putIfAbsent(name, type);
        if (known != null && known != type) {
            throw new IllegalArgumentException("topic " + name + " carries " + known.getName() + ", not " + type.getName());
        }
        return new Topic<>() {
            @Override
            public void publish(T message) {
                try {
                    redis.client().publish(CHANNEL_PREFIX + name, redis.json().writeValueAsString(message));
                } catch (IOException | RuntimeException e) {
                    complaints.warn(log, "publishing on " + name, e instanceof RuntimeException r ? r : new RuntimeException(e));
                }
            }

            @Override
            public Subscription subscribe(Consumer<T> listener) {
                return listeners.add(name, listener);
            }
        };
    }

    private void subscribeLoop() {
        Duration backoff = Duration.ofMillis(100);
        while (open) {
            JedisPubSub ps = new JedisPubSub() {
                @Override
                public void onPSubscribe(String pattern, int count) {
                    subscribed.countDown();
                }

                @Override
                public void onPMessage(String pattern, String channel, String message) {
                    receive(channel, message);
                }
            };
            pubSub = ps;
            try {
                redis.client().psubscribe(ps, CHANNEL_PREFIX + "*");
                backoff = Duration.ofMillis(100);
            } catch (RuntimeException e) {
                if (!open) break;
                log.warn("Redis pub/sub connection lost ({}); reconnecting in {} ms. Live updates from other nodes "
                        + "are missed meanwhile (pages fall back to polling).", e.toString(), backoff.toMillis());
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException ie) {
                    break;
                }
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : backoff.multipliedBy(2);
            }
        }
    }

    private void receive(String channel, String message) {
        String name = channel.substring(CHANNEL_PREFIX.length());
        Class<?> type = types.get(name);
        if (type == null || !listeners.has(name)) return;
        Object decoded;
        try {
            decoded = redis.json().readValue(message, type);
        } catch (IOException e) {
            log.warn("a message on {} could not be read as {}: {}", channel, type.getSimpleName(), e.getMessage());
            return;
        }
        listeners.deliver(name, decoded);
    }

    @Override
    public void close() {
        open = false;
        JedisPubSub ps = pubSub;
        try {
            if (ps != null && ps.isSubscribed()) ps.punsubscribe();
        } catch (RuntimeException e) {
            log.debug("unsubscribing from Redis failed: {}", e.toString());
        }
        try {
            subscriber.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
