package org.kinora.media.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The live edge in memory: segment cuts, blocking waits, discontinuities and the playlist rendered from it. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LiveRenditionTest {
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    static final LlHlsPlaylist.Names NAMES = new LlHlsPlaylist.Names() {
        public String init() { return "init.mp4"; }
        public String segment(int msn) { return "s" + msn + ".m4s"; }
        public String part(int msn, int i) { return "p" + msn + "." + i + ".m4s"; }
    };

    static Fmp4FragmentReader.Fragment part(boolean key) {
        return new Fmp4FragmentReader.Fragment(new byte[] {1, 2, 3}, 0, 0.333, key);
    }

    @Test
    void aKeyframePartStartsANewSegmentOnlyOnceTheOpenOneIsLongEnough() {
        LiveRendition r = new LiveRendition("source", 1.0, 10);
        r.add(part(true), T0);
        r.add(part(true), T0); // a keyframe 0.33 s in: same segment, marked independent
        r.add(part(false), T0);
        r.add(part(true), T0.plusSeconds(1)); // 1.0 s: a new segment
        LiveRendition.Snapshot s = r.snapshot();
        assertThat(s.segments()).hasSize(2);
        assertThat(s.parts().get(0)).hasSize(3);
        assertThat(s.complete()).containsExactly(true, false);
        String playlist = LlHlsPlaylist.render(s, 0.333, NAMES);
        assertThat(playlist).contains("#EXTINF:0.999,\ns0.m4s", "#EXT-X-PART:DURATION=0.333,URI=\"p0.1.m4s\",INDEPENDENT=YES",
                "#EXT-X-PART:DURATION=0.333,URI=\"p0.2.m4s\"\n", "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"p1.1.m4s\"",
                "#EXT-X-PROGRAM-DATE-TIME:2026-12-01T10:00:01Z", "PART-HOLD-BACK=0.999").doesNotContain("ENDLIST");
    }

    @Test
    void aBlockedRequestWaitsForThePartAndAnswersAtOnceWhenItExists() throws Exception {
        LiveRendition r = new LiveRendition("source", 1.0, 10);
        r.add(part(true), T0);
        assertThat(r.await(0, 0, 0)).isTrue();
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return r.await(0, 1, 5000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200);
        assertThat(waiting).isNotDone();
        r.add(part(false), T0);
        assertThat(waiting.get(2, TimeUnit.SECONDS)).isTrue();
        assertThat(r.await(0, 5, 100)).as("times out").isFalse();
    }

    @Test
    void aDroppedPublisherEndsTheSegmentAndTheNextOneIsADiscontinuityWithTheNumbersGoingOn() {
        LiveRendition r = new LiveRendition("source", 1.0, 10);
        r.add(part(true), T0);
        r.interrupt();
        r.add(part(true), T0.plusSeconds(5));
        r.end();
        String playlist = LlHlsPlaylist.render(r.snapshot(), 0.333, NAMES);
        assertThat(playlist).contains("s0.m4s\n#EXT-X-DISCONTINUITY\n#EXT-X-PROGRAM-DATE-TIME:2026-12-01T10:00:05Z", "s1.m4s", "#EXT-X-ENDLIST")
                .doesNotContain("PRELOAD-HINT");
        assertThat(r.segmentBytes(1)).hasValueSatisfying(b -> assertThat(b).hasSize(3));
    }

    @Test
    void theWindowKeepsTheLastSegments() {
        LiveRendition r = new LiveRendition("source", 0.3, 3);
        for (int i = 0; i < 10; i++) r.add(part(true), T0.plusSeconds(i));
        LiveRendition.Snapshot s = r.snapshot();
        assertThat(s.segments()).hasSize(3);
        assertThat(LlHlsPlaylist.render(s, 0.333, NAMES)).contains("#EXT-X-MEDIA-SEQUENCE:7");
        assertThat(r.segment(0)).isEmpty();
    }
}
