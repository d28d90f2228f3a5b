package org.kinora.core.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kinora.core.view.PlayContext;
import org.kinora.core.view.PlayEvent;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PlaybackFoldTest {
    static final Instant T = Instant.parse("2026-03-01T10:00:00Z");
    static final PlaybackFold.Video SHORT = new PlaybackFold.Video("v1", "alice", "alice", 20);

    static PlayEvent e(String viewer, PlayEvent.Type type, Double pos, int at) {
        return new PlayEvent("v1", null, viewer, type, pos, T.plusSeconds(at), PlayContext.UNKNOWN);
    }

    static Rollup.Counts totals(Rollup r) {
        Rollup.Counts sum = new Rollup.Counts();
        r.hourly.values().forEach(c -> {
            sum.plays += c.plays;
            sum.views += c.views;
            sum.watchMs += c.watchMs;
        });
        return sum;
    }

    @Test
    void aShortVideoCountsAViewAtHalfItsLength() {
        Rollup r = new Rollup();
        PlaybackFold.apply(e("s-aaaaaaaa", PlayEvent.Type.START, 0.0, 0), SHORT, Map.of(), r);
        PlaybackFold.apply(e("s-aaaaaaaa", PlayEvent.Type.HEARTBEAT, 9.0, 9), SHORT, Map.of(), r);
        assertThat(totals(r).views).isZero();
        PlaybackFold.apply(e("s-aaaaaaaa", PlayEvent.Type.HEARTBEAT, 10.0, 10), SHORT, Map.of(), r);
        assertThat(totals(r).views).isEqualTo(1);
        assertThat(r.viewers).hasSize(1);
        // Playing on does not count it again.
        PlaybackFold.apply(e("s-aaaaaaaa", PlayEvent.Type.COMPLETE, null, 20), SHORT, Map.of(), r);
        assertThat(totals(r).views).isEqualTo(1);
        assertThat(totals(r).watchMs).isEqualTo(20_000);
        assertThat(r.retention.values().iterator().next()).containsOnly(1L);
    }

    @Test
    void theOwnersPlaysLeaveNoTrace() {
        Rollup r = new Rollup();
        PlaybackFold.apply(new PlayEvent("v1", "alice", null, PlayEvent.Type.START, 0.0, T, PlayContext.UNKNOWN), SHORT, Map.of(), r);
        PlaybackFold.apply(new PlayEvent("v1", "alice", null, PlayEvent.Type.HEARTBEAT, 10.0, T.plusSeconds(10), PlayContext.UNKNOWN), SHORT,
                Map.of(), r);
        assertThat(r.hourly).isEmpty();
        assertThat(r.playbacks).isEmpty();
    }

    @Test
    void seeksJumpsAndLateEventsAddNoWatchTime() {
        Rollup r = new Rollup();
        PlaybackFold.apply(e("s-bbbbbbbb", PlayEvent.Type.START, 0.0, 0), SHORT, Map.of(), r);
        PlaybackFold.apply(e("s-bbbbbbbb", PlayEvent.Type.SEEK, 12.0, 1), SHORT, Map.of(), r);      // seek: no watch
        PlaybackFold.apply(e("s-bbbbbbbb", PlayEvent.Type.HEARTBEAT, 19.0, 2), SHORT, Map.of(), r); // 7 s in 1 s: a jump
        PlaybackFold.apply(e("s-bbbbbbbb", PlayEvent.Type.HEARTBEAT, 5.0, 1), SHORT, Map.of(), r);  // older than the last: dropped
        assertThat(totals(r).watchMs).isZero();
        PlaybackFold.apply(e("s-bbbbbbbb", PlayEvent.Type.HEARTBEAT, 20.0, 3), SHORT, Map.of(), r); // 1 s in 1 s: watched
        assertThat(totals(r).watchMs).isEqualTo(1000);
        assertThat(totals(r).plays).isEqualTo(1);
    }

    @Test
    void domainsAreClassified() {
        // User-Agents: UserAgentsTest (kinora-server).
        assertThat(TrafficSource.domain("WWW.Blog.Example")).contains("blog.example");
        assertThat(TrafficSource.domain("evil\tdomain")).isEmpty();
        assertThat(new PlayContext(TrafficSource.SEARCH, "blog.example", "desktop", "chrome", "fr").domain()).isNull();
        assertThat(new PlayContext(TrafficSource.EMBED, "blog.example", "desk\ttop", "chrome", "fr"))
                .isEqualTo(new PlayContext(TrafficSource.EMBED, "blog.example", "unknown", "chrome", "FR"));
    }
}
