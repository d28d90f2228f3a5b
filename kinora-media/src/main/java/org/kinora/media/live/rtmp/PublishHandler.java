package org.kinora.media.live.rtmp;

/**
 * What Kinora does with a publisher: checks the stream key before anything else happens, and
 * receives the media once accepted. Called from the connection's own (virtual) thread.
 */
public interface PublishHandler {
    /**
     * Whether {@code streamKey} may publish now. A refusal answers {@code NetStream.Publish.BadName}
     * (with {@code reason} as its description) and closes the connection; nothing is created.
     *
     * @param app the application of the URL ({@code live} in {@code rtmp://host/live/KEY})
     */
    Decision publish(String app, String streamKey, String remoteAddress);

    /** The answer to a publish request. */
    sealed interface Decision {}

    record Refused(String reason) implements Decision {}

    record Accepted(Publisher publisher) implements Decision {}

    /** One accepted publisher's media, in arrival order. */
    interface Publisher {
        /**
         * An FLV tag body as it came in an RTMP audio (8), video (9) or data (18) message.
         * {@code timestampMillis} is the message's absolute timestamp.
         */
        void media(int type, long timestampMillis, byte[] body);

        /**
         * The connection ended, called once. {@code unpublished}: the encoder stopped on purpose
         * ({@code deleteStream}, as OBS's "Stop streaming" and ffmpeg's end send); otherwise the
         * socket dropped or a limit was broken ({@code reason} says which).
         */
        void ended(String reason, boolean unpublished);
    }

    /** Thrown from {@link Publisher#media} to hang up on the publisher (its key was revoked, its stream is unusable). */
    final class Disconnect extends RuntimeException {
        public Disconnect(String reason) {
            super(reason);
        }
    }
}
