package org.kinora.media.ladder;

import java.util.List;
import java.util.Locale;

/**
 * The defined AV1 levels (AV1 specification, Annex A.3) with the limits a ladder rung can hit:
 * picture size in luma samples (MaxPicSize), width and height (MaxHSize, MaxVSize), luma samples
 * per second (MaxDisplayRate) and the Main tier's maximum bitrate. {@code seqLevelIdx} is what
 * the bitstream's sequence header (and the init segment's av1C box) carries: (major - 2) * 4 +
 * minor; levels 2.2, 2.3, 3.2, 3.3, 4.2 and 4.3 are reserved, so their indices never occur.
 */
record Av1Level(String name, int seqLevelIdx, long maxPicSize, int maxWidth, int maxHeight, long maxDisplayRate,
                long mainTierMaxBitsPerSecond) {

    static final List<Av1Level> ALL = List.of(
            new Av1Level("2.0", 0, 147_456, 2_048, 1_152, 4_423_680L, 1_500_000),
            new Av1Level("2.1", 1, 278_784, 2_816, 1_584, 8_363_520L, 3_000_000),
            new Av1Level("3.0", 4, 665_856, 4_352, 2_448, 19_975_680L, 6_000_000),
            new Av1Level("3.1", 5, 1_065_024, 5_504, 3_096, 31_950_720L, 10_000_000),
            new Av1Level("4.0", 8, 2_359_296, 6_144, 3_456, 70_778_880L, 12_000_000),
            new Av1Level("4.1", 9, 2_359_296, 6_144, 3_456, 141_557_760L, 20_000_000),
            new Av1Level("5.0", 12, 8_912_896, 8_192, 4_352, 267_386_880L, 30_000_000),
            new Av1Level("5.1", 13, 8_912_896, 8_192, 4_352, 534_773_760L, 40_000_000),
            new Av1Level("5.2", 14, 8_912_896, 8_192, 4_352, 1_069_547_520L, 60_000_000),
            new Av1Level("5.3", 15, 8_912_896, 8_192, 4_352, 1_069_547_520L, 60_000_000),
            new Av1Level("6.0", 16, 35_651_584, 16_384, 8_704, 1_069_547_520L, 60_000_000),
            new Av1Level("6.1", 17, 35_651_584, 16_384, 8_704, 2_139_095_040L, 100_000_000),
            new Av1Level("6.2", 18, 35_651_584, 16_384, 8_704, 4_278_190_080L, 160_000_000),
            new Av1Level("6.3", 19, 35_651_584, 16_384, 8_704, 4_278_190_080L, 160_000_000));

    /**
     * The lowest level whose limits the rung fits, as for H.264 ({@link H264Level#lowestFitting}):
     * a decoder capped below the declared level refuses the rung even when it could play it.
     * The highest level if nothing fits.
     *
     * @param maxBitrateKbps the rate cap the encoder is given (-maxrate)
     */
    static Av1Level lowestFitting(int width, int height, double frameRate, int maxBitrateKbps) {
        long picture = (long) width * height;
        for (Av1Level level : ALL) {
            if (picture <= level.maxPicSize && width <= level.maxWidth && height <= level.maxHeight
                    && picture * frameRate <= level.maxDisplayRate
                    && maxBitrateKbps * 1000L <= level.mainTierMaxBitsPerSecond) {
                return level;
            }
        }
        return ALL.getLast();
    }

    /**
     * The codecs parameter string of the AV1 ISOBMFF binding (section "Codecs Parameter String"):
     * {@code av01.P.LLT.DD}, profile, two-digit seq_level_idx with the tier (M or H), two-digit bit
     * depth; the optional colour fields are left out (their defaults are what Kinora writes).
     *
     * @param profile seq_profile: 0 (Main) for 4:2:0 at 8 or 10 bits
     */
    String codecs(int profile, boolean highTier, int bitDepth) {
        return String.format(Locale.ROOT, "av01.%d.%02d%s.%02d", profile, seqLevelIdx, highTier ? "H" : "M", bitDepth);
    }
}
