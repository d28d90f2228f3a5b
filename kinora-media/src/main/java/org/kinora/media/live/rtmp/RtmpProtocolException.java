package org.kinora.media.live.rtmp;

/** The peer broke the RTMP protocol or one of Kinora's limits: the connection is closed, nothing else happens. */
final class RtmpProtocolException extends RuntimeException {
    RtmpProtocolException(String message) {
        super(message);
    }
}
