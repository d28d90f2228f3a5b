package org.kinora.media.ladder;

import java.util.List;
import java.util.Set;

/**
 * The optional AV1 rungs (config {@code transcode.av1}): for each chosen H.264 rung, one AV1
 * rung of the same size named {@code <name>-av1} (e.g. "720p-av1"), at {@value #BITRATE_FACTOR}
 * of its rates, since SVT-AV1 at a fast preset needs roughly that for the picture quality of
 * x264 veryfast. They are extra renditions: players that decode AV1 may choose them, the others
 * keep the H.264 ladder.
 *
 * @param enabled off: no AV1 rungs (the default)
 * @param rungs the H.264 rung names that get an AV1 twin; empty for all of them
 * @param preset the SVT-AV1 preset, 0 (slowest) to 13; this SVT-AV1 build runs 11-13 as 10
 */
public record Av1Ladder(boolean enabled, Set<String> rungs, int preset) {
    /** 10: the fastest preset this SVT-AV1 build really runs (it maps 11-13 to 10). */
    public static final int DEFAULT_PRESET = 10;
    public static final Av1Ladder OFF = new Av1Ladder(false, Set.of(), DEFAULT_PRESET);
    public static final String SUFFIX = "-av1";
    static final double BITRATE_FACTOR = 0.6;
    /** Main profile, 4:2:0 at 8 bits: what every AV1 decoder (and every browser's) supports. */
    static final int PROFILE = 0;
    public static final int BIT_DEPTH = 8;

    public Av1Ladder {
        rungs = Set.copyOf(rungs);
        if (preset < 0 || preset > 13) {
            throw new IllegalArgumentException("The SVT-AV1 preset is 0 (slowest, smallest files) to 13 (fastest), not " + preset);
        }
    }

    /**
     * @param h264 the H.264 ladder of the source, lowest first ({@link LadderPlanner#plan})
     * @return the AV1 rungs, lowest first; empty when off or when no chosen rung is in the ladder
     */
    public List<Rung> plan(List<Rung> h264, double frameRate) {
        if (!enabled) return List.of();
        return h264.stream()
                .filter(r -> !r.isAv1() && (rungs.isEmpty() || rungs.contains(r.name())))
                .map(r -> twin(r, frameRate))
                .toList();
    }

    static Rung twin(Rung h264, double frameRate) {
        int bitrate = (int) Math.round(h264.videoBitrateKbps() * BITRATE_FACTOR);
        int maxrate = (int) Math.round(h264.maxBitrateKbps() * BITRATE_FACTOR);
        Av1Level level = Av1Level.lowestFitting(h264.width(), h264.height(), frameRate, maxrate);
        return new Rung(h264.name() + SUFFIX, h264.width(), h264.height(), bitrate, maxrate, level.name(),
                level.codecs(PROFILE, false, BIT_DEPTH), Rung.Codec.AV1);
    }
}
