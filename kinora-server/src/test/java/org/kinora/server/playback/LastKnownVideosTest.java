package org.kinora.server.playback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kinora.core.common.KinoraException;
import org.kinora.core.video.Privacy;
import org.kinora.core.video.Video;
import org.kinora.core.video.VideoStatus;

/** The origin's memory of videos: a read at most once a second, dropped on a change, and playback while the database is down. */
@Timeout(30)
class LastKnownVideosTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T10:00:00Z"));
    private final LastKnownVideos known = new LastKnownVideos(Duration.ofMinutes(60), now::get);
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicReference<Object> database = new AtomicReference<>(video(Privacy.PUBLIC));

    private final BiFunction<String, String, Video> lookup = (id, viewer) -> {
        reads.incrementAndGet();
        Object answer = database.get();
        if (answer instanceof RuntimeException e) throw e;
        Video v = (Video) answer;
        if (!v.isVisibleTo(viewer)) throw KinoraException.notFound("Video");
        return v;
    };

    private static Video video(Privacy privacy) {
        Instant t = Instant.parse("2026-11-01T00:00:00Z");
        return new Video("v1", "owner", "t", "", privacy, VideoStatus.READY, 100, null, 10.0, 320, 240, t, t, t, null);
    }

    private static RuntimeException unreachable() {
        return new RuntimeException("pool", new SQLTransientConnectionException("Connection is not available, request timed out"));
    }

    @Test
    void aPublicVideoIsReadOnceASecondAndAChangeIsSeenAtOnce() {
        for (int i = 0; i < 50; i++) known.visible("v1", null, lookup);
        assertThat(reads.get()).isEqualTo(1);

        database.set(video(Privacy.PRIVATE));
        known.forget("v1"); // the live bus announces the change
        assertThatThrownBy(() -> known.visible("v1", null, lookup)).isInstanceOf(KinoraException.class);
        assertThat(known.visible("v1", "owner", lookup).privacy()).isEqualTo(Privacy.PRIVATE);
        int before = reads.get();
        known.visible("v1", "owner", lookup);
        assertThat(reads.get()).as("private videos are never answered from memory").isEqualTo(before + 1);
    }

    @Test
    void aReadThatBeganBeforeAChangeIsNotTakenAsFresh() {
        BiFunction<String, String, Video> slow = (id, viewer) -> {
            known.forget(id); // the change commits while this read is under way
            return lookup.apply(id, viewer);
        };
        known.visible("v1", null, slow);
        known.visible("v1", null, lookup);
        assertThat(reads.get()).isEqualTo(2);
    }

    @Test
    void publicVideosPlayFromMemoryWhileTheDatabaseIsUnreachableForTheBoundedAge() {
        known.visible("v1", null, lookup);
        database.set(unreachable());
        known.forget("v1"); // any later request asks the database first
        assertThat(known.visible("v1", null, lookup).id()).isEqualTo("v1");
        assertThat(known.visible("v1", "someone", lookup).id()).isEqualTo("v1");

        now.set(now.get().plus(Duration.ofMinutes(61)));
        assertThatThrownBy(() -> known.visible("v1", null, lookup)).isInstanceOfSatisfying(KinoraException.class,
                e -> assertThat(e.details()).containsKey("retry_after_seconds"));
        assertThatThrownBy(() -> known.visible("v2", null, lookup)).isInstanceOf(KinoraException.class);
    }

    @Test
    void otherDatabaseErrorsAreNotMistakenForAnOutage() {
        known.visible("v1", null, lookup);
        database.set(new IllegalStateException("a bug"));
        known.forget("v1");
        assertThatThrownBy(() -> known.visible("v1", null, lookup)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void requestsArrivingWhileTheVideoIsLookedUpShareThatLookup() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch inLookup = new CountDownLatch(1);
        BiFunction<String, String, Video> slow = (id, viewer) -> {
            inLookup.countDown();
            await(release);
            return lookup.apply(id, viewer);
        };
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Video> first = pool.submit(() -> known.visible("v1", null, slow));
            assertThat(inLookup.await(5, TimeUnit.SECONDS)).isTrue();
            List<Future<Video>> others = new ArrayList<>();
            for (int i = 0; i < 50; i++) others.add(pool.submit(() -> known.visible("v1", "viewer", slow)));
            Thread.sleep(200); // let them reach the lookup under way
            release.countDown();
            assertThat(first.get().id()).isEqualTo("v1");
            for (Future<Video> f : others) assertThat(f.get().id()).isEqualTo("v1");
        }
        assertThat(reads.get()).as("one database read for 51 requests that all missed").isEqualTo(1);
    }

    @Test
    void aLookupBegunBeforeAChangeIsNotShared() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch inLookup = new CountDownLatch(1);
        Video stale = video(Privacy.PUBLIC);
        BiFunction<String, String, Video> slowStale = (id, viewer) -> {
            inLookup.countDown();
            await(release);
            return stale; // what the database said when this read began
        };
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Video> first = pool.submit(() -> known.visible("v1", null, slowStale));
            assertThat(inLookup.await(5, TimeUnit.SECONDS)).isTrue();
            database.set(video(Privacy.PRIVATE));
            known.forget("v1"); // made private while that read is under way
            assertThatThrownBy(() -> known.visible("v1", null, lookup)).as("asks the database itself").isInstanceOf(KinoraException.class);
            release.countDown();
            first.get();
        }
        assertThatThrownBy(() -> known.visible("v1", null, lookup)).as("the stale read left no fresh entry")
                .isInstanceOf(KinoraException.class);
    }

    @Test
    void aHotVideoIsRenewedInTheBackgroundAndAChangeStillTakesEffectAtOnce() throws Exception {
        known.visible("v1", null, lookup);
        Thread.sleep(LastKnownVideos.REFRESH_AHEAD_NANOS / 1_000_000 + 100);
        assertThat(known.visible("v1", null, lookup).id()).isEqualTo("v1"); // from memory, renewal started
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (reads.get() < 2 && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(reads.get()).as("renewed in the background").isEqualTo(2);
        Thread.sleep(LastKnownVideos.FRESH_NANOS / 1_000_000 - LastKnownVideos.REFRESH_AHEAD_NANOS / 1_000_000 + 50);
        database.set(new IllegalStateException("a request asked the database"));
        // More than FRESH after the first read, but the renewal is fresh: answered without asking (the next renewal fails quietly).
        assertThat(known.visible("v1", null, lookup).id()).isEqualTo("v1");

        database.set(video(Privacy.PRIVATE));
        known.forget("v1");
        assertThatThrownBy(() -> known.visible("v1", null, lookup)).isInstanceOf(KinoraException.class);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("not released");
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
