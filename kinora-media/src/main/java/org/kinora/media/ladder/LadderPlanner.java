package org.kinora.media.ladder;

import java.util.ArrayList;
import java.util.List;

import org.kinora.media.ffmpeg.MediaInfo;

/**
 * Chooses the renditions for a source: every standard size up to the source's own (never
 * upscaling), named and measured by the short side so portrait videos get the same ladder.
 */
public final class LadderPlanner {
    /** Short side in pixels and target bitrate in kb/s for H.264 High at up to 30 fps. */
    private record Standard(int shortSide, int bitrateKbps) {}

    private static final List<Standard> STANDARDS = List.of(
            new Standard(240, 400),
            new Standard(360, 800),
            new Standard(480, 1400),
            new Standard(720, 2800),
            new Standard(1080, 5000),
            new Standard(1440, 9000),
            new Standard(2160, 16000));

    /** Above 30 fps twice as many frames share the bits; 1.5x keeps motion clean without doubling. */
    private static final double HIGH_FRAME_RATE_FACTOR = 1.5;
    private static final double PEAK_FACTOR = 1.5;
    /** Bitrate floor for sources smaller than the smallest standard rung. */
    private static final int MIN_BITRATE_KBPS = 100;

    public LadderPlanner() {}

    public List<Rung> plan(MediaInfo source) {
        return plan(source.width(), source.height(), source.frameRate());
    }

    /**
     * @param width display width of the source
     * @param height display height of the source
     * @param frameRate source frame rate; the output keeps it
     * @return the rungs, lowest first; never empty
     */
    public List<Rung> plan(int width, int height, double frameRate) {
        if (width < 2 || height < 2) {
            throw new IllegalArgumentException("Cannot plan a ladder for a " + width + "x" + height + " source");
        }
        boolean portrait = height > width;
        int sourceShort = Math.min(width, height);
        int sourceLong = Math.max(width, height);
        List<Rung> rungs = new ArrayList<>();
        for (Standard standard : STANDARDS) {
            if (standard.shortSide > sourceShort) {
                break;
            }
            // Rounding to even could exceed an odd source size by one pixel: that would be an upscale.
            int longSide = Math.min(even((double) sourceLong * standard.shortSide / sourceShort), sourceLong & ~1);
            rungs.add(rung(standard.shortSide + "p", portrait ? standard.shortSide : longSide,
                    portrait ? longSide : standard.shortSide, standard.bitrateKbps, frameRate));
        }
        if (rungs.isEmpty()) {
            // Smaller than 240p: keep the source size and scale the bitrate by area.
            int w = width & ~1;
            int h = height & ~1;
            Standard smallest = STANDARDS.getFirst();
            double area = (double) w * h / (smallest.shortSide * smallest.shortSide * 16.0 / 9);
            int bitrate = Math.max(MIN_BITRATE_KBPS, (int) Math.round(smallest.bitrateKbps * area));
            rungs.add(rung(Math.min(w, h) + "p", w, h, Math.min(bitrate, smallest.bitrateKbps), frameRate));
        }
        return List.copyOf(rungs);
    }

    private static Rung rung(String name, int width, int height, int baseBitrateKbps, double frameRate) {
        int bitrate = frameRate > 30.5 ? (int) Math.round(baseBitrateKbps * HIGH_FRAME_RATE_FACTOR) : baseBitrateKbps;
        int maxrate = (int) Math.round(bitrate * PEAK_FACTOR);
        // The buffer is the one Rung.bufferSizeKbits() gives x264, so the level covers the VBV x264 is told.
        int buffer = new Rung(name, width, height, bitrate, maxrate, "", "").bufferSizeKbits();
        H264Level level = H264Level.lowestFitting(width, height, frameRate, maxrate, buffer);
        return new Rung(name, width, height, bitrate, maxrate, level.name(), level.highProfileCodecs());
    }

    /** Nearest even integer: H.264 with 4:2:0 chroma needs even dimensions. */
    static int even(double value) {
        return Math.max(2, 2 * (int) Math.round(value / 2));
    }
}
