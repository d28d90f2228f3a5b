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
        return render(s, partTarget, names, false);
    }

    /**
     * @param skip a delta update ({@code _HLS_skip=YES}): segments older than the skip boundary
     *             ({@code CAN-SKIP-UNTIL}, six target durations, the spec's minimum) are replaced by
     *             {@code EXT-X-SKIP}, so a two-hour DVR window does not make every blocking reload
     *             hundreds of kilobytes long
     */
    public static String render(LiveRendition.Snapshot s, double partTarget, Names names, boolean skip) {
        StringBuilder b = new StringBuilder(2048);
        // RFC 8216bis 4.4.3.1: every EXTINF, rounded to the nearest integer, is at most the target (1 s segments of 1.03 s: 1, not 2).
        int target = (int) Math.max(1, Math.round(s.longestSegment()));
        double skipUntil = 6.0 * target;
        b.append("#EXTM3U\n#EXT-X-VERSION:9\n");
        b.append("#EXT-X-TARGETDURATION:").append(target).append('\n');
        b.append("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=").append(fmt(partTarget * 3))
                .append(",CAN-SKIP-UNTIL=").append(fmt(skipUntil)).append('\n');
        b.append("#EXT-X-PART-INF:PART-TARGET=").append(fmt(partTarget)).append('\n');
        List<LiveRendition.Segment> segs = s.segments();
        List<LiveRendition.Archived> old = s.archived();
        int first = !old.isEmpty() ? old.getFirst().msn() : segs.isEmpty() ? s.nextMsn() : segs.getFirst().msn();
        b.append("#EXT-X-MEDIA-SEQUENCE:").append(first).append('\n');
        if (s.discontinuitySequence() > 0) b.append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(s.discontinuitySequence()).append('\n');
        b.append("#EXT-X-MAP:URI=\"").append(names.init()).append("\"\n");
        // How many of the oldest segments a delta update leaves out: those that end before the skip boundary.
        int skipped = 0;
        if (skip) {
            double after = 0;
            for (double d : s.durations()) after += d;
            for (LiveRendition.Archived a : old) after += a.duration();
            for (LiveRendition.Archived a : old) {
                after -= a.duration();
                if (after < skipUntil) break;
                skipped++;
            }
            if (skipped == old.size()) {
                for (int i = 0; i < segs.size() && s.complete().get(i); i++) {
                    after -= s.durations().get(i);
                    if (after < skipUntil) break;
                    skipped++;
                }
            }
            if (skipped > 0) b.append("#EXT-X-SKIP:SKIPPED-SEGMENTS=").append(skipped).append('\n');
        }
        for (int i = skipped; i < old.size(); i++) {
            LiveRendition.Archived a = old.get(i);
            if (a.discontinuity()) b.append("#EXT-X-DISCONTINUITY\n");
            b.append("#EXT-X-PROGRAM-DATE-TIME:").append(DateTimeFormatter.ISO_INSTANT.format(a.programDateTime())).append('\n');
            b.append("#EXTINF:").append(fmt(a.duration())).append(",\n").append(names.segment(a.msn())).append('\n');
        }
        int skippedInMemory = Math.max(0, skipped - old.size());
        int withParts = Math.max(0, segs.size() - PART_SEGMENTS);
        for (int i = skippedInMemory; i < segs.size(); i++) {
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
