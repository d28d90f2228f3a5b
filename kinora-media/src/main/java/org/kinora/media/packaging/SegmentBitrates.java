package org.kinora.media.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes each segment's measured bit rate into ffmpeg's media playlist as {@code EXT-X-BITRATE}
 * (RFC 8216bis §4.4.4.8: kb/s, applying to the segments that follow). The playlist is then the
 * record of what was encoded, so the master's BANDWIDTH and AVERAGE-BANDWIDTH and the MPD's
 * bandwidth can be the measured peak and mean whenever the manifests are rebuilt, without
 * looking at the segments again; players that do not know the tag ignore it.
 */
final class SegmentBitrates {
    private SegmentBitrates() {}

    /** Rewrites {@code <dir>/index.m3u8} in place, once ffmpeg has finished writing the segments beside it. */
    static void annotate(Path dir, String playlistName) {
        Path playlist = dir.resolve(playlistName);
        try {
            String m3u8 = Files.readString(playlist);
            List<MediaPlaylist.Segment> segments = MediaPlaylist.parse(m3u8).segments();
            StringBuilder out = new StringBuilder(m3u8.length() + segments.size() * 24);
            int next = 0;
            for (String line : m3u8.lines().toList()) {
                if (line.startsWith("#EXTINF:")) {
                    MediaPlaylist.Segment segment = segments.get(next++);
                    long bytes = Files.size(dir.resolve(segment.uri()));
                    out.append("#EXT-X-BITRATE:").append(kbps(bytes, segment.durationSeconds())).append('\n');
                }
                out.append(line).append('\n');
            }
            Files.writeString(playlist, out);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not measure the segments listed in " + playlist, e);
        }
    }

    /** Rounded up: BANDWIDTH must not understate the rate. A zero-length segment counts as one millisecond. */
    static long kbps(long bytes, double seconds) {
        return (long) Math.ceil(bytes * 8 / Math.max(seconds, 0.001) / 1000);
    }
}
