package org.kinora.media.ffmpeg;

/**
 * The file cannot be turned into a video. The message is written for the creator who uploaded it
 * (e.g. "The file has no video stream.") and can be shown to them as is.
 */
public class UnplayableMediaException extends RuntimeException {
    public UnplayableMediaException(String message) {
        super(message);
    }

    public UnplayableMediaException(String message, Throwable cause) {
        super(message, cause);
    }
}
