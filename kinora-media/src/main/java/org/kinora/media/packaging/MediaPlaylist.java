package org.kinora.media.packaging;

import java.util.ArrayList;
import java.util.List;

/**
 * The parts of an HLS media playlist that the manifests need: the init segment, each media
 * segment's URI and duration, and the target duration. Only what ffmpeg's hls muxer writes is
 * understood; tags that do not matter here are ignored.
 */
public record MediaPlaylist(int targetDurationSeconds, String initUri, List<Segment> segments) {

    public record Segment(String uri, double durationSeconds) {}

    public MediaPlaylist {
        segments = List.copyOf(segments);
    }

    public double totalDurationSeconds() {
        return segments.stream().mapToDouble(Segment::durationSeconds).sum();
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
            } else if (!line.startsWith("#")) {
                if (pendingDuration == null) {
                    throw new IllegalArgumentException("Segment " + line + " has no #EXTINF duration before it");
                }
                segments.add(new Segment(line, pendingDuration));
                pendingDuration = null;
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
