package org.kinora.media.ffmpeg;

/**
 * What Kinora needs to know about an uploaded video. Width and height are the display size: a
 * phone video stored as 1920x1080 with a 90 degree rotation is reported as 1080x1920, because
 * ffmpeg rotates frames while decoding. Codec names are ffprobe's; audioCodec is null without audio.
 * audioLanguage is the audio stream's language tag as the container has it (e.g. "eng"), null if untagged.
 */
public record MediaInfo(
        double durationSeconds,
        int width,
        int height,
        double frameRate,
        boolean hasAudio,
        String videoCodec,
        String audioCodec,
        String formatName,
        long sizeBytes,
        String audioLanguage) {

    public boolean isPortrait() {
        return height > width;
    }
}
