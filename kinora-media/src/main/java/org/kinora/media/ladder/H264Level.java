package org.kinora.media.ladder;

import java.util.List;

/**
 * H.264 levels (ITU-T H.264 Table A-1) with the limits that matter for a ladder: frame size and
 * macroblock rate. Bitrate limits are far above Kinora's rates, so they are not checked.
 */
record H264Level(String name, int levelIdc, int maxFrameMacroblocks, long maxMacroblocksPerSecond) {
    static final List<H264Level> ALL = List.of(
            new H264Level("3.1", 31, 3_600, 108_000),
            new H264Level("4.0", 40, 8_192, 245_760),
            new H264Level("4.2", 42, 8_704, 522_240),
            new H264Level("5.0", 50, 22_080, 589_824),
            new H264Level("5.1", 51, 36_864, 983_040),
            new H264Level("5.2", 52, 36_864, 2_073_600),
            new H264Level("6.0", 60, 139_264, 4_177_920),
            new H264Level("6.1", 61, 139_264, 8_355_840),
            new H264Level("6.2", 62, 139_264, 16_711_680));

    /**
     * The conventional level for the rung size (players and devices recognise these), raised if
     * the frame size or frame rate needs more; the highest level if nothing fits.
     */
    static H264Level forFrame(int width, int height, double frameRate) {
        int shortSide = Math.min(width, height);
        String conventional = shortSide <= 480 ? "3.1" : shortSide <= 720 ? "4.0" : shortSide <= 1080 ? "4.2" : "5.2";
        long frameMacroblocks = (long) ((width + 15) / 16) * ((height + 15) / 16);
        double macroblocksPerSecond = frameMacroblocks * frameRate;
        boolean reachedConventional = false;
        for (H264Level level : ALL) {
            reachedConventional |= level.name.equals(conventional);
            if (reachedConventional && frameMacroblocks <= level.maxFrameMacroblocks
                    && macroblocksPerSecond <= level.maxMacroblocksPerSecond) {
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
