package org.kinora.media.ladder;

import java.util.List;

/**
 * H.264 levels (ITU-T H.264 Table A-1) with every limit a ladder rung can hit: frame size
 * (MaxFS, and no side longer than sqrt(8 * MaxFS) macroblocks), macroblock rate (MaxMBPS),
 * and the VBV maximum bitrate and buffer (MaxBR, MaxCPB), which Table A-1 gives in units of
 * 1000 bits and the High profile scales by cpbBrVclFactor = 1250 (A.3.1, Table A-2); x264 checks
 * the same products. Level 1b is left out: High profile signals it oddly and no rung needs it.
 */
record H264Level(String name, int levelIdc, int maxFrameMacroblocks, long maxMacroblocksPerSecond,
                 long maxBitrateUnits, long maxCpbUnits) {
    /** cpbBrVclFactor for the High profile (Table A-2): one Table A-1 unit is 1250 bit/s. */
    private static final long HIGH_VCL_FACTOR = 1250;

    static final List<H264Level> ALL = List.of(
            new H264Level("1.0", 10, 99, 1_485, 64, 175),
            new H264Level("1.1", 11, 396, 3_000, 192, 500),
            new H264Level("1.2", 12, 396, 6_000, 384, 1_000),
            new H264Level("1.3", 13, 396, 11_880, 768, 2_000),
            new H264Level("2.0", 20, 396, 11_880, 2_000, 2_000),
            new H264Level("2.1", 21, 792, 19_800, 4_000, 4_000),
            new H264Level("2.2", 22, 1_620, 20_250, 4_000, 4_000),
            new H264Level("3.0", 30, 1_620, 40_500, 10_000, 10_000),
            new H264Level("3.1", 31, 3_600, 108_000, 14_000, 14_000),
            new H264Level("3.2", 32, 5_120, 216_000, 20_000, 20_000),
            new H264Level("4.0", 40, 8_192, 245_760, 20_000, 25_000),
            new H264Level("4.1", 41, 8_192, 245_760, 50_000, 62_500),
            new H264Level("4.2", 42, 8_704, 522_240, 50_000, 62_500),
            new H264Level("5.0", 50, 22_080, 589_824, 135_000, 135_000),
            new H264Level("5.1", 51, 36_864, 983_040, 240_000, 240_000),
            new H264Level("5.2", 52, 36_864, 2_073_600, 240_000, 240_000),
            new H264Level("6.0", 60, 139_264, 4_177_920, 240_000, 240_000),
            new H264Level("6.1", 61, 139_264, 8_355_840, 480_000, 480_000),
            new H264Level("6.2", 62, 139_264, 16_711_680, 800_000, 800_000));

    /**
     * The lowest level whose limits the rung fits: decoders capped at a level (many TVs and
     * phones at 4.1) drop any rung declared above it, so declaring more than needed loses
     * viewers for nothing. The highest level if nothing fits.
     *
     * @param maxBitrateKbps the VBV maximum rate x264 is given (-maxrate)
     * @param bufferKbits the VBV buffer x264 is given (-bufsize)
     */
    static H264Level lowestFitting(int width, int height, double frameRate, int maxBitrateKbps, int bufferKbits) {
        long widthMbs = (width + 15) / 16;
        long heightMbs = (height + 15) / 16;
        long frameMacroblocks = widthMbs * heightMbs;
        double macroblocksPerSecond = frameMacroblocks * frameRate;
        long longSideMbs = Math.max(widthMbs, heightMbs);
        for (H264Level level : ALL) {
            if (frameMacroblocks <= level.maxFrameMacroblocks
                    && longSideMbs * longSideMbs <= 8L * level.maxFrameMacroblocks
                    && macroblocksPerSecond <= level.maxMacroblocksPerSecond
                    && maxBitrateKbps * 1000L <= level.maxBitrateUnits * HIGH_VCL_FACTOR
                    && bufferKbits * 1000L <= level.maxCpbUnits * HIGH_VCL_FACTOR) {
                return level;
            }
        }
        return ALL.getLast();
    }

    /** RFC 6381 codecs string for the High profile (profile_idc 100, no constraint flags). */
    String highProfileCodecs() {
        return String.format("avc1.6400%02x", levelIdc);
    }
}
