package org.kinora.media.packaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.kinora.core.blob.BlobKeys;

/**
 * Renders a static DASH MPD over the very segment files of the HLS renditions: each
 * Representation's SegmentTemplate points at {@code <name>/init.mp4} and
 * {@code <name>/seg_NNNNN.m4s}, and its SegmentTimeline repeats that rendition's EXTINF durations.
 */
public final class DashManifest {
    private static final int TIMESCALE = 1000;

    private DashManifest() {}

    public static String render(List<VideoRendition> video, Optional<AudioRendition> audio) {
        if (video.isEmpty()) {
            throw new IllegalArgumentException("A DASH manifest needs at least one video rendition");
        }
        double duration = video.stream().mapToDouble(v -> v.playlist().totalDurationSeconds()).max().orElseThrow();
        int maxSegment = video.stream().mapToInt(v -> v.playlist().targetDurationSeconds()).max().orElseThrow();
        StringBuilder xml = new StringBuilder();
        xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        xml.append(String.format(Locale.ROOT,
                "<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" profiles=\"urn:mpeg:dash:profile:isoff-live:2011\" "
                        + "type=\"static\" mediaPresentationDuration=\"%s\" maxSegmentDuration=\"PT%dS\" minBufferTime=\"PT4S\">\n",
                isoDuration(duration), maxSegment));
        xml.append("  <Period id=\"0\" start=\"PT0S\">\n");
        xml.append("    <AdaptationSet id=\"0\" contentType=\"video\" mimeType=\"video/mp4\" segmentAlignment=\"true\" "
                + "startWithSAP=\"1\">\n");
        for (VideoRendition v : HlsMasterPlaylist.sortedByBitrate(video)) {
            xml.append(String.format(Locale.ROOT,
                    "      <Representation id=\"%s\" bandwidth=\"%d\" width=\"%d\" height=\"%d\" sar=\"1:1\" codecs=\"%s\" frameRate=\"%s\">\n",
                    escape(v.name()), v.rung().maxBitrateKbps() * 1000L, v.rung().width(), v.rung().height(),
                    escape(v.rung().codecs()), frameRate(v.frameRate())));
            segmentTemplate(xml, v.name(), v.playlist());
            xml.append("      </Representation>\n");
        }
        xml.append("    </AdaptationSet>\n");
        audio.ifPresent(a -> {
            xml.append("    <AdaptationSet id=\"1\" contentType=\"audio\" mimeType=\"audio/mp4\" segmentAlignment=\"true\" "
                    + "startWithSAP=\"1\">\n");
            xml.append(String.format(Locale.ROOT,
                    "      <Representation id=\"%s\" bandwidth=\"%d\" codecs=\"%s\" audioSamplingRate=\"%d\">\n",
                    escape(a.name()), a.bitrateKbps() * 1000L, escape(a.codecs()), a.sampleRate()));
            xml.append("        <AudioChannelConfiguration schemeIdUri=\"urn:mpeg:dash:23003:3:audio_channel_configuration:2011\" value=\"")
                    .append(a.channels()).append("\"/>\n");
            segmentTemplate(xml, a.name(), a.playlist());
            xml.append("      </Representation>\n");
            xml.append("    </AdaptationSet>\n");
        });
        xml.append("  </Period>\n</MPD>\n");
        return xml.toString();
    }

    private static void segmentTemplate(StringBuilder xml, String name, MediaPlaylist playlist) {
        xml.append("        <SegmentTemplate timescale=\"").append(TIMESCALE).append("\" initialization=\"")
                .append(escape(BlobKeys.initSegmentPath(name))).append("\" media=\"").append(escape(BlobKeys.segmentTemplatePath(name)))
                .append("\" startNumber=\"1\">\n");
        xml.append("          <SegmentTimeline>\n");
        for (TimelineRun run : timeline(playlist)) {
            xml.append("            <S t=\"").append(run.start).append("\" d=\"").append(run.duration).append('"');
            if (run.repeat > 0) {
                xml.append(" r=\"").append(run.repeat).append('"');
            }
            xml.append("/>\n");
        }
        xml.append("          </SegmentTimeline>\n");
        xml.append("        </SegmentTemplate>\n");
    }

    record TimelineRun(long start, long duration, int repeat) {}

    /**
     * Segment starts are rounded from the running total rather than summing rounded durations,
     * so millisecond rounding never drifts away from the media timestamps. Equal consecutive
     * durations collapse into one {@code <S>} with a repeat count.
     */
    static List<TimelineRun> timeline(MediaPlaylist playlist) {
        List<TimelineRun> runs = new ArrayList<>();
        double elapsed = 0;
        for (MediaPlaylist.Segment segment : playlist.segments()) {
            long start = Math.round(elapsed * TIMESCALE);
            elapsed += segment.durationSeconds();
            long duration = Math.round(elapsed * TIMESCALE) - start;
            if (!runs.isEmpty() && runs.getLast().duration == duration) {
                TimelineRun last = runs.removeLast();
                runs.add(new TimelineRun(last.start, last.duration, last.repeat + 1));
            } else {
                runs.add(new TimelineRun(start, duration, 0));
            }
        }
        return runs;
    }

    static String isoDuration(double seconds) {
        return String.format(Locale.ROOT, "PT%.3fS", seconds);
    }

    /** Whole rates as integers, NTSC-style rates as the exact fraction (30000/1001), others in thousandths. */
    static String frameRate(double fps) {
        if (Math.abs(fps - Math.rint(fps)) < 0.001) {
            return Long.toString(Math.round(fps));
        }
        long ntsc = Math.round(fps * 1.001);
        if (Math.abs(ntsc * 1000 / 1001.0 - fps) < 0.001) {
            return ntsc * 1000 + "/1001";
        }
        // The MPD frameRate type allows only integers and fractions, no decimal point.
        return Math.round(fps * 1000) + "/1000";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
