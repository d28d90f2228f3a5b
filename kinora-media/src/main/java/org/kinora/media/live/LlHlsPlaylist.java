package org.kinora.media.live;

import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Renders a live media playlist as Low-Latency HLS (RFC 8216bis): parts for the last segments,
 * a preload hint for the next part, blocking reload advertised with {@code CAN-BLOCK-RELOAD},
 * and {@code PART-HOLD-BACK} of three part targets (the minimum the spec allows). Players that do
 * not know LL-HLS ignore the part tags and play the segments.
 */
public final class LlHlsPlaylist {
    /** Parts are listed for segments within this many target durations of the live edge. */
    private static final int PART_SEGMENTS = 3;

    /** How segment, part and init URIs are named (relative to the playlist). */
    public interface Names {
        String init();

        String segment(int msn);

        String part(int msn, int index);
    }

    private LlHlsPlaylist() {}

    public static String render(LiveRendition.Snapshot s, double partTarget, Names names) {
        StringBuilder b = new StringBuilder(2048);
        int target = (int) Math.ceil(s.longestSegment());
        b.append("#EXTM3U\n#EXT-X-VERSION:9\n");
        b.append("#EXT-X-TARGETDURATION:").append(target).append('\n');
        b.append("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=").append(fmt(partTarget * 3)).append('\n');
        b.append("#EXT-X-PART-INF:PART-TARGET=").append(fmt(partTarget)).append('\n');
        List<LiveRendition.Segment> segs = s.segments();
        int first = segs.isEmpty() ? s.nextMsn() : segs.getFirst().msn();
        b.append("#EXT-X-MEDIA-SEQUENCE:").append(first).append('\n');
        b.append("#EXT-X-MAP:URI=\"").append(names.init()).append("\"\n");
        int withParts = Math.max(0, segs.size() - PART_SEGMENTS);
        for (int i = 0; i < segs.size(); i++) {
            LiveRendition.Segment seg = segs.get(i);
            if (seg.discontinuity()) b.append("#EXT-X-DISCONTINUITY\n");
            b.append("#EXT-X-PROGRAM-DATE-TIME:").append(DateTimeFormatter.ISO_INSTANT.format(seg.programDateTime())).append('\n');
            if (i >= withParts) {
                for (LiveRendition.Part p : s.parts().get(i)) {
                    b.append("#EXT-X-PART:DURATION=").append(fmt(p.duration())).append(",URI=\"").append(names.part(p.msn(), p.index())).append('"');
                    if (p.independent()) b.append(",INDEPENDENT=YES");
                    b.append('\n');
                }
            }
            if (s.complete().get(i)) {
                b.append("#EXTINF:").append(fmt(s.durations().get(i))).append(",\n").append(names.segment(seg.msn())).append('\n');
            }
        }
        if (s.ended()) {
            b.append("#EXT-X-ENDLIST\n");
        } else if (!segs.isEmpty()) {
            LiveRendition.Segment last = segs.getLast();
            boolean open = !s.complete().getLast();
            int msn = open ? last.msn() : last.msn() + 1;
            int part = open ? s.parts().getLast().size() : 0;
            b.append("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"").append(names.part(msn, part)).append("\"\n");
        }
        return b.toString();
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
