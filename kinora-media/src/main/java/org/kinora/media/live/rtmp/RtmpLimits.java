package org.kinora.media.live.rtmp;

import java.time.Duration;

/**
 * What a publisher may do before Kinora hangs up: the stream is untrusted input.
 *
 * @param handshakeTimeout  from accepting the connection to {@code publish} (handshake and commands)
 * @param idleTimeout       longest silence while publishing
 * @param maxChunkSize      largest chunk size a peer may set (the spec allows up to 2^31)
 * @param maxMessageBytes   largest single message (a keyframe of a 4K source fits)
 * @param maxBitsPerSecond  average ingest over {@code bitrateWindow}; above it the publisher is cut off
 * @param maxConnections    connections open at once (handshaking or publishing)
 */
public record RtmpLimits(Duration handshakeTimeout, Duration idleTimeout, int maxChunkSize, int maxMessageBytes,
                         long maxBitsPerSecond, Duration bitrateWindow, int maxConnections) {
    public static RtmpLimits defaults() {
        return new RtmpLimits(Duration.ofSeconds(10), Duration.ofSeconds(15), 65_536, 8 << 20, 60_000_000L,
                Duration.ofSeconds(5), 64);
    }
}
