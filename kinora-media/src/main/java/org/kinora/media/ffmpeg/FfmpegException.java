package org.kinora.media.ffmpeg;

/** An ffmpeg or ffprobe process could not be started, failed, timed out or was cancelled. */
public class FfmpegException extends RuntimeException {
    private final String stderrTail;

    public FfmpegException(String message, String stderrTail) {
        super(message);
        this.stderrTail = stderrTail == null ? "" : stderrTail;
    }

    public FfmpegException(String message, Throwable cause) {
        super(message, cause);
        this.stderrTail = "";
    }

    /** The last part (at most ~64 KB) of what the process wrote to stderr; empty if unknown. */
    public String stderrTail() {
        return stderrTail;
    }
}
