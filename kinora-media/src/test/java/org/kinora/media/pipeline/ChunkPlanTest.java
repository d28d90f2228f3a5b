package org.kinora.media.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ChunkPlanTest {

    @Test
    void chunksCoverTheWholeVideoOnSegmentBoundariesAndTheLastRunsToTheEnd() {
        // A source with a keyframe every 2 s: every segment boundary is a keyframe.
        List<Double> keyframes = IntStream.range(0, 61).mapToObj(i -> i * 2.0).toList();
        ChunkPlan plan = ChunkPlan.plan(121.3, 32, keyframes, 30);
        assertThat(plan.chunks()).extracting(ChunkPlan.Chunk::startSeconds).containsExactly(0, 32, 64, 96);
        assertThat(plan.chunk(4).lengthSeconds()).isEqualTo(121.3 - 96, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(plan.chunks()).extracting(ChunkPlan.Chunk::firstSegment).containsExactly(1, 9, 17, 25);
    }

    /** A chunk job used to get the whole video's budget: a 2-hour video's chunk job could run 12 h 15 min. */
    @Test
    void aChunksTimeBudgetIsSizedToTheChunkNotToTheVideo() {
        org.kinora.media.ffmpeg.MediaLimits limits = org.kinora.media.ffmpeg.MediaLimits.DEFAULTS; // 15 min + 6 s per second
        ChunkPlan plan = ChunkPlan.plan(7200, 64, List.of(), 30);
        assertThat(plan.chunk(2).timeBudget(limits)).isEqualTo(java.time.Duration.ofMinutes(15).plusSeconds(6 * 64))
                .isLessThan(limits.timeBudget(7200));
        assertThat(plan.chunk(plan.size()).timeBudget(limits)).isEqualTo(limits.timeBudget(plan.chunk(plan.size()).lengthSeconds()));
    }

    @Test
    void aCutMovesToANearbySegmentBoundaryWhereTheSourceHasAKeyframe() {
        // Keyframes every 12 s (a long-GOP camera): 32 is no keyframe, 36 is, one segment later.
        List<Double> keyframes = IntStream.range(0, 11).mapToObj(i -> i * 12.0).toList();
        ChunkPlan plan = ChunkPlan.plan(120, 32, keyframes, 30);
        assertThat(plan.chunks()).extracting(ChunkPlan.Chunk::startSeconds).containsExactly(0, 36, 60, 96);
        plan.chunks().forEach(c -> assertThat(c.startSeconds() % 4).isZero());
    }

    @Test
    void withoutAKeyframeNearbyTheCutStaysOnTheIdealBoundary() {
        ChunkPlan plan = ChunkPlan.plan(70, 32, List.of(0.0), 25);
        assertThat(plan.chunks()).extracting(ChunkPlan.Chunk::startSeconds).containsExactly(0, 32, 64);
    }

    @Test
    void aChunkLengthThatIsNotAWholeNumberOfSegmentsIsRefused() {
        assertThatThrownBy(() -> ChunkPlan.plan(100, 30, List.of(), 30)).hasMessageContaining("multiple of 4");
        assertThatThrownBy(() -> new ChunkSettings(60, 10, 0)).hasMessageContaining("transcode.chunk-seconds");
    }
}
