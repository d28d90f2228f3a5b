package org.kinora.media.packaging;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The parts of an HLS media playlist that the manifests need: the init segment, each media
 * segment's URI, duration, measured bit rate ({@code EXT-X-BITRATE}, which {@link SegmentBitrates}
 * adds to what ffmpeg writes) or byte-range length (I-frame playlists), and the target duration.
 * Tags that do not matter here are ignored.
 */
public record MediaPlaylist(int targetDurationSeconds, String initUri, List<Segment> segments) {

    /**
     * @param bitrateKbps the EXT-X-BITRATE that applies to the segment, 0 if none
     * @param byteLength the EXT-X-BYTERANGE length, -1 if the segment is a whole file
     */
    public record Segment(String uri, double durationSeconds, long bitrateKbps, long byteLength) {
        public Segment(String uri, double durationSeconds) {
            this(uri, durationSeconds, 0, -1);
        }

        /** The segment's size in bits, or -1 when the playlist does not say. */
        long bits() {
            if (byteLength >= 0) return byteLength * 8;
            return bitrateKbps > 0 ? Math.round(bitrateKbps * 1000 * durationSeconds) : -1;
        }
    }

    public MediaPlaylist {
        segments = List.copyOf(segments);
    }

    public double totalDurationSeconds() {
        return segments.stream().mapToDouble(Segment::durationSeconds).sum();
    }

    public double longestSegmentSeconds() {
        return segments.stream().mapToDouble(Segment::durationSeconds).max().orElse(0);
    }

    /**
     * The peak segment bit rate as RFC 8216bis §4.4.6.2 defines it for BANDWIDTH: the highest
     * rate of any run of consecutive segments lasting 0.5 to 1.5 target durations (so a short
     * last segment, whose moof overhead is large for its length, does not count alone). Empty
     * when the segments' sizes are not in the playlist.
     */
    public OptionalLong peakBitsPerSecond() {
        if (!measured()) return OptionalLong.empty();
        double peak = 0;
        boolean any = false;
        for (int i = 0; i < segments.size(); i++) {
            long bits = 0;
            double seconds = 0;
            for (int j = i; j < segments.size(); j++) {
                bits += segments.get(j).bits();
                seconds += segments.get(j).durationSeconds();
                if (seconds > 1.5 * targetDurationSeconds) break;
                if (seconds >= 0.5 * targetDurationSeconds && seconds > 0) {
                    peak = Math.max(peak, bits / seconds);
                    any = true;
                }
            }
        }
        return any ? OptionalLong.of(Math.round(Math.ceil(peak))) : averageBitsPerSecond();
    }

    /** Total size over total duration (AVERAGE-BANDWIDTH); empty when the sizes are not in the playlist. */
    public OptionalLong averageBitsPerSecond() {
        double seconds = totalDurationSeconds();
        if (!measured() || seconds <= 0) return OptionalLong.empty();
        long bits = segments.stream().mapToLong(Segment::bits).sum();
        return OptionalLong.of(Math.round(Math.ceil(bits / seconds)));
    }

    private boolean measured() {
        return segments.stream().allMatch(s -> s.bits() >= 0);
    }

    /** @throws IllegalArgumentException if the text is not a media playlist with at least one segment */
    public static MediaPlaylist parse(String m3u8) {
        List<String> lines = m3u8.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.isEmpty() || !lines.getFirst().equals("#EXTM3U")) {
            throw new IllegalArgumentException("Not an HLS playlist: it does not start with #EXTM3U");
        }
        int target = -1;
        String init = null;
        Double pendingDuration = null;
        long bitrate = 0; // EXT-X-BITRATE applies to every following segment until the next one
        long byteLength = -1;
        List<Segment> segments = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("#EXT-X-TARGETDURATION:")) {
                target = Integer.parseInt(line.substring("#EXT-X-TARGETDURATION:".length()));
            } else if (line.startsWith("#EXT-X-MAP:")) {
                init = attribute(line, "URI");
            } else if (line.startsWith("#EXTINF:")) {
                String value = line.substring("#EXTINF:".length());
                int comma = value.indexOf(',');
                pendingDuration = Double.parseDouble(comma < 0 ? value : value.substring(0, comma));
            } else if (line.startsWith("#EXT-X-BITRATE:")) {
                bitrate = Long.parseLong(line.substring("#EXT-X-BITRATE:".length()).strip());
            } else if (line.startsWith("#EXT-X-BYTERANGE:")) {
                String value = line.substring("#EXT-X-BYTERANGE:".length());
                int at = value.indexOf('@');
                byteLength = Long.parseLong(at < 0 ? value : value.substring(0, at));
            } else if (!line.startsWith("#")) {
                if (pendingDuration == null) {
                    throw new IllegalArgumentException("Segment " + line + " has no #EXTINF duration before it");
                }
                segments.add(new Segment(line, pendingDuration, bitrate, byteLength));
                pendingDuration = null;
                byteLength = -1;
            }
        }
        if (target < 0 || segments.isEmpty()) {
            throw new IllegalArgumentException("Not a media playlist: no #EXT-X-TARGETDURATION or no segments");
        }
        return new MediaPlaylist(target, init, segments);
    }

    private static String attribute(String line, String name) {
        int at = line.indexOf(name + "=\"");
        if (at < 0) {
            return null;
        }
        int start = at + name.length() + 2;
        return line.substring(start, line.indexOf('"', start));
    }
}
