package org.kinora.media.ffmpeg;

import java.time.Duration;
import java.util.Locale;

/**
 * What one upload may ask of a worker. A file outside these limits is refused before any
 * decoding, with a reason for its creator, and is not retried: trying again cannot change it.
 *
 * @param maxDurationSeconds longest declared duration accepted
 * @param minSide            smallest width or height, in display pixels
 * @param maxSide            largest width or height, in display pixels
 * @param maxPixels          largest width x height
 * @param maxFrameRate       highest average frame rate
 * @param minBitsPerSecond   smallest file size per declared second, in bits: a file much smaller
 *                           than its duration claims (a few KB declaring hours) is not a real video
 * @param budgetPerSecond    seconds of transcoding allowed per second of video, on top of
 * @param budgetBase         a fixed allowance for the probe, the poster, the storyboard and start-up
 */
public record MediaLimits(double maxDurationSeconds, int minSide, int maxSide, long maxPixels, double maxFrameRate,
                          long minBitsPerSecond, double budgetPerSecond, Duration budgetBase) {
    /** Enough for feature films up to 8K at 120 fps, on a slow machine. */
    public static final MediaLimits DEFAULTS = new MediaLimits(12 * 3600, 16, 7680, 7680L * 4320, 120, 2000,
            6, Duration.ofMinutes(15));

    public MediaLimits {
        if (maxDurationSeconds <= 0 || minSide < 2 || maxSide < minSide || maxPixels < (long) minSide * minSide
                || maxFrameRate <= 0 || minBitsPerSecond < 0 || budgetPerSecond <= 0 || budgetBase.isNegative()) {
            throw new IllegalArgumentException("Inconsistent media limits: maxDurationSeconds=" + maxDurationSeconds
                    + ", minSide=" + minSide + ", maxSide=" + maxSide + ", maxPixels=" + maxPixels + ", maxFrameRate="
                    + maxFrameRate + ", minBitsPerSecond=" + minBitsPerSecond + ", budgetPerSecond=" + budgetPerSecond
                    + ", budgetBase=" + budgetBase + ". Each must be positive, and minimums below maximums.");
        }
    }

    /** @throws UnplayableMediaException naming the first limit the file is outside of */
    public void check(MediaInfo info) {
        if (info.durationSeconds() > maxDurationSeconds) {
            throw new UnplayableMediaException(String.format(Locale.ROOT,
                    "The video is %s long; this server accepts videos up to %s.",
                    readable(info.durationSeconds()), readable(maxDurationSeconds)));
        }
        int shortSide = Math.min(info.width(), info.height());
        int longSide = Math.max(info.width(), info.height());
        if (shortSide < minSide) {
            throw new UnplayableMediaException(String.format(Locale.ROOT,
                    "The picture is %dx%d pixels; videos need at least %d pixels on each side.",
                    info.width(), info.height(), minSide));
        }
        if (longSide > maxSide || (long) info.width() * info.height() > maxPixels) {
            throw new UnplayableMediaException(String.format(Locale.ROOT,
                    "The picture is %dx%d pixels; this server accepts at most %d pixels on a side and %d pixels "
                            + "in all (for example 7680x4320). Export the video at a smaller size.",
                    info.width(), info.height(), maxSide, maxPixels));
        }
        if (info.frameRate() > maxFrameRate) {
            throw new UnplayableMediaException(String.format(Locale.ROOT,
                    "The video has %.0f frames per second; this server accepts at most %.0f.",
                    info.frameRate(), maxFrameRate));
        }
        if (info.sizeBytes() * 8.0 / info.durationSeconds() < minBitsPerSecond) {
            throw new UnplayableMediaException(String.format(Locale.ROOT,
                    "The file declares %s of video but holds only %d bytes; a real video of that length is larger. "
                            + "The file is damaged or its duration is wrong.",
                    readable(info.durationSeconds()), info.sizeBytes()));
        }
    }

    /** How long all the ffmpeg runs of one transcode of a video this long may take together. */
    public Duration timeBudget(double durationSeconds) {
        return budgetBase.plusMillis(Math.round(Math.min(durationSeconds, maxDurationSeconds) * budgetPerSecond * 1000));
    }

    /** "2 h 05 min", "3 min 20 s" or "12.5 s". */
    public static String readable(double seconds) {
        long s = Math.round(seconds);
        if (s >= 3600) return String.format(Locale.ROOT, "%d h %02d min", s / 3600, s / 60 % 60);
        if (s >= 60) return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        return String.format(Locale.ROOT, "%.1f s", seconds);
    }
}
