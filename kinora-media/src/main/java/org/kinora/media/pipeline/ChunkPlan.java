package org.kinora.media.pipeline;

import java.util.ArrayList;
import java.util.List;
import org.kinora.media.packaging.CmafEncoder;

/**
 * Where a long video is cut into chunks that workers encode in parallel (issue 15).
 *
 * <p>Every cut is on a segment boundary (a multiple of {@value CmafEncoder#SEGMENT_SECONDS} s), so
 * each chunk's segments are the segments the whole encode would have had: ~4 s, at the same
 * instants as the first rung's (which is encoded whole), hence aligned across rungs. Among the
 * segment boundaries near each ideal cut, one where the source has a keyframe is preferred: the
 * chunk's encoder then starts decoding exactly there instead of at the keyframe before (an exact
 * seek decodes from the previous keyframe and drops what lies before the cut, so a cut between
 * keyframes is still exact, only slower to start).
 *
 * @param chunks in order, covering {@code [0, duration)} without gaps or overlaps
 */
public record ChunkPlan(List<Chunk> chunks) {

    /** Chunk {@code number} (from 1) covers {@code [startSeconds, startSeconds + lengthSeconds)}; the last one runs to the end. */
    public record Chunk(int number, int startSeconds, double lengthSeconds) {
        /** The number of its first segment in the whole rendition ({@code seg_00001.m4s} is the first). */
        public int firstSegment() {
            return startSeconds / CmafEncoder.SEGMENT_SECONDS + 1;
        }

        /** How long the ffmpeg runs of this chunk's job may take together: the budget of a video as long as the chunk. */
        public java.time.Duration timeBudget(org.kinora.media.ffmpeg.MediaLimits limits) {
            return limits.timeBudget(lengthSeconds);
        }
    }

    public ChunkPlan {
        chunks = List.copyOf(chunks);
    }

    public int size() {
        return chunks.size();
    }

    public Chunk chunk(int number) {
        if (number < 1 || number > chunks.size()) {
            throw new IllegalArgumentException("Chunk " + number + " does not exist; the plan has " + chunks.size());
        }
        return chunks.get(number - 1);
    }

    /**
     * @param durationSeconds the source's duration
     * @param chunkSeconds the wanted chunk length, a multiple of the segment length
     * @param keyframes the source's video keyframe times in seconds, ascending (may be empty)
     * @param frameRate the source's frame rate, to tell a keyframe "at" a boundary (within half a frame)
     */
    public static ChunkPlan plan(double durationSeconds, int chunkSeconds, List<Double> keyframes, double frameRate) {
        int segment = CmafEncoder.SEGMENT_SECONDS;
        if (chunkSeconds < segment || chunkSeconds % segment != 0) {
            throw new IllegalArgumentException("The chunk length must be a positive multiple of " + segment + " s, not " + chunkSeconds);
        }
        double tolerance = 0.5 / (frameRate > 0 ? frameRate : 30);
        int reach = reachSeconds(chunkSeconds) / segment;
        List<Integer> cuts = new ArrayList<>();
        cuts.add(0);
        for (int ideal = chunkSeconds; ideal < durationSeconds - segment; ideal += chunkSeconds) {
            int cut = ideal;
            for (int d = 0; d <= reach; d++) {
                int earlier = ideal - d * segment, later = ideal + d * segment;
                if (earlier > cuts.getLast() && hasKeyframeAt(keyframes, earlier, tolerance)) { cut = earlier; break; }
                if (later < durationSeconds - segment && hasKeyframeAt(keyframes, later, tolerance)) { cut = later; break; }
            }
            if (cut > cuts.getLast()) cuts.add(cut);
        }
        List<Chunk> chunks = new ArrayList<>();
        for (int i = 0; i < cuts.size(); i++) {
            int start = cuts.get(i);
            double end = i + 1 < cuts.size() ? cuts.get(i + 1) : durationSeconds;
            chunks.add(new Chunk(i + 1, start, end - start));
        }
        return new ChunkPlan(chunks);
    }

    /** Every segment boundary a cut of {@link #plan} may land on: where it wants to know about keyframes. */
    public static List<Integer> candidates(double durationSeconds, int chunkSeconds) {
        int segment = CmafEncoder.SEGMENT_SECONDS;
        int reach = reachSeconds(chunkSeconds);
        java.util.TreeSet<Integer> out = new java.util.TreeSet<>();
        for (int ideal = chunkSeconds; ideal < durationSeconds - segment; ideal += chunkSeconds) {
            for (int c = Math.max(segment, ideal - reach); c <= ideal + reach && c < durationSeconds - segment; c += segment) out.add(c);
        }
        return List.copyOf(out);
    }

    /** How far a cut may move to land on a keyframe: whole segments, at most a quarter of a chunk. */
    public static int reachSeconds(int chunkSeconds) {
        int segment = CmafEncoder.SEGMENT_SECONDS;
        return chunkSeconds / segment / 4 * segment;
    }

    private static boolean hasKeyframeAt(List<Double> keyframes, double t, double tolerance) {
        int lo = 0, hi = keyframes.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            double k = keyframes.get(mid);
            if (Math.abs(k - t) <= tolerance) return true;
            if (k < t) lo = mid + 1; else hi = mid - 1;
        }
        return false;
    }
}
