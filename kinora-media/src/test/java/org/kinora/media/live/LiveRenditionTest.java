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

    /** Segments of one second each, a keyframe starting every one. */
    static void segments(LiveRendition r, int n, Instant from) {
        for (int i = 0; i < n; i++) {
            r.add(part(true), from.plusSeconds(i));
            r.add(part(false), from.plusSeconds(i));
            r.add(part(false), from.plusSeconds(i));
        }
    }

    @Test
    void theDvrWindowListsSpilledSegmentsBeyondMemoryAndDeltaUpdatesSkipThem() {
        java.util.Map<Integer, byte[]> blob = new java.util.concurrent.ConcurrentHashMap<>();
        LiveRendition r = new LiveRendition("source", 1.0, 3, 10, (msn, bytes, stored) -> {
            blob.put(msn, bytes);
            stored.run();
        });
        segments(r, 13, T0); // s0..s12; s12 open
        LiveRendition.Snapshot s = r.snapshot();
        assertThat(s.segments()).extracting(LiveRendition.Segment::msn).containsExactly(10, 11, 12);
        // 10 listed in all: s3..s9 from the spill, s10..s12 in memory; s0..s2 fell out of the DVR window.
        assertThat(s.archived()).extracting(LiveRendition.Archived::msn).containsExactly(3, 4, 5, 6, 7, 8, 9);
        assertThat(r.archived(5)).isPresent();
        assertThat(r.archived(2)).isEmpty();
        assertThat(blob.get(5)).hasSize(9); // the segment's three parts
        String full = LlHlsPlaylist.render(s, 0.333, NAMES);
        assertThat(full).contains("#EXT-X-MEDIA-SEQUENCE:3\n", "CAN-SKIP-UNTIL=6.000", "#EXTINF:0.999,\ns3.m4s",
                "#EXT-X-PROGRAM-DATE-TIME:2026-12-01T10:00:03Z").doesNotContain("s2.m4s", "p3.0.m4s", "EXT-X-SKIP");
        // Delta update: what ends more than six target durations before the end is skipped (s3..s5 here).
        String delta = LlHlsPlaylist.render(s, 0.333, NAMES, true);
        assertThat(delta).contains("#EXT-X-MEDIA-SEQUENCE:3\n", "#EXT-X-SKIP:SKIPPED-SEGMENTS=3\n", "s6.m4s", "s11.m4s")
                .doesNotContain("s5.m4s");
    }

    @Test
    void aSegmentTheSpillDidNotStoreRestartsTheDvrWindowSoNoNumberIsMissing() {
        LiveRendition r = new LiveRendition("source", 1.0, 3, 10, (msn, bytes, stored) -> {
            if (msn != 4) stored.run(); // the blob store failed for s4
        });
        segments(r, 10, T0);
        assertThat(r.snapshot().archived()).extracting(LiveRendition.Archived::msn).containsExactly(5, 6);
        assertThat(LlHlsPlaylist.render(r.snapshot(), 0.333, NAMES)).contains("#EXT-X-MEDIA-SEQUENCE:5\n");
    }

    @Test
    void discontinuitiesLeavingTheHeadAreCounted() {
        LiveRendition r = new LiveRendition("source", 1.0, 3);
        segments(r, 2, T0);
        r.interrupt(); // s2 will carry the discontinuity
        segments(r, 6, T0.plusSeconds(10));
        String playlist = LlHlsPlaylist.render(r.snapshot(), 0.333, NAMES);
        assertThat(playlist).contains("#EXT-X-MEDIA-SEQUENCE:5\n", "#EXT-X-DISCONTINUITY-SEQUENCE:1\n").doesNotContain("#EXT-X-DISCONTINUITY\n");
    }
}
