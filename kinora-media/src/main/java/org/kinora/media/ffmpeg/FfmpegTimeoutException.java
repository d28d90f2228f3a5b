package org.kinora.media.ffmpeg;

/** An ffmpeg or ffprobe run outlived its timeout (or its job's time budget) and was killed. */
public class FfmpegTimeoutException extends FfmpegException {
    public FfmpegTimeoutException(String message, String stderrTail) {
        super(message, stderrTail);
    }
}
