package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kinora.adapters.redis.Redis;
import org.kinora.adapters.redis.RedisLiveBus;
import org.kinora.core.notify.Notification;
import org.kinora.core.notify.NotificationHub;
import org.kinora.core.video.VideoChanged;
import org.kinora.server.engines.EmbeddedRedis;

/**
 * Two processes' worth of live bus on one real Redis: what node B's hub publishes reaches the
 * listeners of node A (and only those of the right user).
 */
@Timeout(120)
class RedisLiveBusIT {
    @Test
    void aNotificationPublishedOnOneNodeIsDeliveredOnTheOther() throws Exception {
        try (EmbeddedRedis server = EmbeddedRedis.start();
             Redis ra = Redis.connect(server.url(), 4); Redis rb = Redis.connect(server.url(), 4);
             RedisLiveBus busA = RedisLiveBus.start(ra); RedisLiveBus busB = RedisLiveBus.start(rb)) {
            NotificationHub hubA = new NotificationHub(busA);
            NotificationHub hubB = new NotificationHub(busB);
            BlockingQueue<Notification> alice = new LinkedBlockingQueue<>();
            BlockingQueue<Notification> bob = new LinkedBlockingQueue<>();
            try (AutoCloseable x = hubA.listen("alice", alice::add); AutoCloseable y = hubA.listen("bob", bob::add)) {
                Notification n = new Notification(7, "alice", Notification.COMMENT, "bob", "v1", "c1", "bob commented", Instant.now(), null);
                long start = System.nanoTime();
                hubB.publish(n);
                Notification got = alice.poll(5, TimeUnit.SECONDS);
                System.out.println("RedisLiveBusIT: node B -> node A in " + (System.nanoTime() - start) / 1000 + " µs");
                assertThat(got).isEqualTo(n);
                assertThat(bob.poll(200, TimeUnit.MILLISECONDS)).isNull();
            }

            BlockingQueue<VideoChanged> changes = new LinkedBlockingQueue<>();
            try (var s = VideoChanged.topic(busA).subscribe(changes::add)) {
                VideoChanged.topic(busB).publish(new VideoChanged("v42"));
                assertThat(changes.poll(5, TimeUnit.SECONDS)).isEqualTo(new VideoChanged("v42"));
            }
        }
    }

    @Test
    void afterRedisCrashesAndRestartsTheBusReconnectsAndDeliversAgain() throws Exception {
        EmbeddedRedis server = EmbeddedRedis.start();
        try (Redis ra = Redis.connect(server.url(), 4); Redis rb = Redis.connect(server.url(), 4);
             RedisLiveBus busA = RedisLiveBus.start(ra); RedisLiveBus busB = RedisLiveBus.start(rb)) {
            BlockingQueue<VideoChanged> changes = new LinkedBlockingQueue<>();
            try (var s = VideoChanged.topic(busA).subscribe(changes::add)) {
                VideoChanged.topic(busB).publish(new VideoChanged("before"));
                assertThat(changes.poll(5, TimeUnit.SECONDS)).isEqualTo(new VideoChanged("before"));

                server.close(); // SIGKILL
                server = EmbeddedRedis.startOn(server.port());
                VideoChanged.topic(busB).publish(new VideoChanged("while-down")); // logged, not thrown
                // A's subscriber reconnects with backoff (at most 5 s between tries); B's pool replaces its
                // dead connections. Pub/sub keeps nothing, so publish until one arrives.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                VideoChanged got = null;
                long start = System.nanoTime();
                while (got == null && System.nanoTime() < deadline) {
                    VideoChanged.topic(busB).publish(new VideoChanged("after"));
                    got = changes.poll(250, TimeUnit.MILLISECONDS);
                }
                System.out.println("RedisLiveBusIT: delivering again " + (System.nanoTime() - start) / 1_000_000 + " ms after the restart");
                assertThat(got).isEqualTo(new VideoChanged("after"));
            }
        } finally {
            server.close();
        }
    }
}
