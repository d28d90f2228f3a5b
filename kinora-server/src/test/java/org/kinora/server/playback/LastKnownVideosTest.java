package org.kinora.server.playback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
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
}
