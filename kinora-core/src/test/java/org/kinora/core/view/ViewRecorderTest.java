package org.kinora.core.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kinora.core.common.ErrorKind;
import org.kinora.core.common.KinoraException;
import org.kinora.core.common.Transactions;
import org.kinora.core.events.DomainEvent;
import org.kinora.core.events.EventEnvelope;
import org.kinora.core.events.EventType;
import org.kinora.core.events.EventHandler;
import org.kinora.core.events.EventLog;

@Timeout(60)
class ViewRecorderTest {
    static final class Views implements ViewRepository {
        final List<Hit> hits = new ArrayList<>();

        @Override public Map<String, Integer> count(List<Hit> batch, Duration window) {
            hits.addAll(batch);
            Map<String, Integer> perVideo = new TreeMap<>();
            for (Hit h : batch) perVideo.merge(h.videoId(), 1, Integer::sum);
            return perVideo;
        }
        @Override public int pruneMarks(Instant olderThan) { return 0; }
        @Override public List<Daily> daily(String videoId, LocalDate from, LocalDate to) { return List.of(); }
    }

    static final class History implements HistoryRepository {
        final List<Position> positions = new ArrayList<>();

        @Override public void record(List<Position> batch) { positions.addAll(batch); }
        @Override public List<Entry> list(String userId, Optional<Cursor> after, int limit) { return List.of(); }
        @Override public List<Entry> unfinished(String userId, int limit) { return List.of(); }
        @Override public Optional<Entry> find(String userId, String videoId) { return Optional.empty(); }
        @Override public int clear(String userId) { return 0; }
        @Override public boolean remove(String userId, String videoId) { return false; }
    }

    private final Views views = new Views();
    private final History history = new History();
    private final List<EventEnvelope> events = new ArrayList<>();
    private final Transactions direct = new Transactions() {
        @Override public <T> T inTransaction(Supplier<T> work) { return work.get(); }
    };
    private final Instant now = Instant.parse("2026-11-21T12:00:01Z");
    private final EventLog log = new EventLog() {
        @Override public void append(EventEnvelope event) { events.add(event); }
        @Override public int deliver(String consumer, Set<EventType> types, int limit, EventHandler handler) { return 0; }
    };
    private final ViewRecorder recorder = new ViewRecorder(views, history, direct, log, () -> now, Duration.ofHours(24), 4);
    private final Instant t = Instant.parse("2026-11-21T12:00:00Z");

    @Test
    void aBatchSendsOneHitPerViewerAndVideoAndTheLatestPositionPerUser() {
        recorder.accept(new PlayEvent("v1", "u1", null, PlayEvent.Type.START, 0.0, t));
        recorder.accept(new PlayEvent("v1", "u1", null, PlayEvent.Type.HEARTBEAT, 30.0, t.plusSeconds(30)));
        recorder.accept(new PlayEvent("v1", null, "session-1", PlayEvent.Type.START, null, t));
        recorder.accept(new PlayEvent("v1", "u1", null, PlayEvent.Type.START, null, t.plusSeconds(40)));
        assertThat(recorder.flush()).isEqualTo(2);
        assertThat(views.hits).extracting(ViewRepository.Hit::viewerKey).containsExactly("u:u1", "s:session-1");
        // The bare start after the heartbeat keeps the heartbeat's position; anonymous viewers have no history.
        assertThat(history.positions).singleElement().satisfies(p -> {
            assertThat(p.positionSeconds()).isEqualTo(30.0);
            assertThat(p.at()).isEqualTo(t.plusSeconds(40));
            assertThat(p.completed()).isFalse();
        });
        assertThat(recorder.flush()).isZero();
    }

    @Test
    void eachFlushEmitsOneViewedEventPerVideoWithTheViewsItCounted() {
        recorder.accept(new PlayEvent("v1", "u1", null, PlayEvent.Type.START, 0.0, t));
        recorder.accept(new PlayEvent("v1", null, "session-1", PlayEvent.Type.START, null, t));
        recorder.accept(new PlayEvent("v2", null, "session-1", PlayEvent.Type.START, null, t));
        assertThat(recorder.flush()).isEqualTo(3);
        assertThat(events).extracting(EventEnvelope::event).filteredOn(e -> e instanceof DomainEvent.VideoViewed)
                .containsExactly(new DomainEvent.VideoViewed("v1", 2), new DomainEvent.VideoViewed("v2", 1));
        assertThat(events).allMatch(e -> e.occurredAt().equals(now) && e.actorId() == null);
        recorder.flush();
        assertThat(events).hasSize(4);
    }

    @Test
    void eachFlushCarriesEveryPlayEventToAnalyticsInOneEventPerVideo() {
        recorder.accept(new PlayEvent("v1", "u1", null, PlayEvent.Type.START, 0.0, t));
        recorder.accept(new PlayEvent("v2", null, "session-1", PlayEvent.Type.START, null, t));
        recorder.accept(new PlayEvent("v1", "u1", null, PlayEvent.Type.HEARTBEAT, 10.0, t.plusSeconds(10)));
        recorder.flush();
        assertThat(events).extracting(EventEnvelope::event).filteredOn(e -> e instanceof DomainEvent.VideoPlayed)
                .containsExactly(
                        new DomainEvent.VideoPlayed("v1", List.of(new PlayEvent("v1", "u1", null, PlayEvent.Type.START, 0.0, t),
                                new PlayEvent("v1", "u1", null, PlayEvent.Type.HEARTBEAT, 10.0, t.plusSeconds(10)))),
                        new DomainEvent.VideoPlayed("v2", List.of(new PlayEvent("v2", null, "session-1", PlayEvent.Type.START, null, t))));
    }

    @Test
    void aFullBufferRefusesWithRetryAfterInsteadOfGrowing() {
        for (int i = 0; i < 4; i++) recorder.accept(new PlayEvent("v" + i, null, "session-x", PlayEvent.Type.START, null, t));
        assertThatThrownBy(() -> recorder.accept(new PlayEvent("v9", null, "session-x", PlayEvent.Type.START, null, t)))
                .isInstanceOfSatisfying(KinoraException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
                    assertThat(e.details()).containsKey("retry_after_seconds");
                });
        recorder.flush();
        recorder.accept(new PlayEvent("v9", null, "session-x", PlayEvent.Type.START, null, t));
    }
}
