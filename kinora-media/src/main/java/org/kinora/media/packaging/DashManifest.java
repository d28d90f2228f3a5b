package org.kinora.media.packaging;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.kinora.core.blob.BlobKeys;

/**
 * Renders a static DASH MPD over the very segment files of the HLS renditions: each
 * Representation's SegmentTemplate points at {@code <name>/init.mp4} and
 * {@code <name>/seg_NNNNN.m4s}, and its SegmentTimeline repeats that rendition's EXTINF
 * durations in the rendition's own timescale (from its init segment), so the timeline names the
 * segments' real timestamps rather than millisecond roundings of them.
 */
public final class DashManifest {
    private DashManifest() {}

    /** With a text AdaptationSet per caption track (see {@link SubtitleTracks#dash}). */
    public static String render(List<VideoRendition> video, Optional<AudioRendition> audio,
                                List<org.kinora.core.caption.CaptionTrack> subtitles) {
        return SubtitleTracks.dash(render(video, audio), subtitles);
    }

    public static String render(List<VideoRendition> video, Optional<AudioRendition> audio) {
        if (video.isEmpty()) {
            throw new IllegalArgumentException("A DASH manifest needs at least one video rendition");
        }
        // The presentation is as long as the picture. AAC frames (1024 samples) rarely end on the
        // last video frame, so the audio often runs a few ms longer, sometimes into one more tiny
        // segment that starts at or after the video's end: that one is left out of the timeline
        // (players would request a segment outside the Period), a longer last segment is kept.
        double duration = video.stream().mapToDouble(v -> v.playlist().totalDurationSeconds()).max().orElseThrow();
        List<Double> longest = new ArrayList<>();
        for (VideoRendition v : video) longest.add(longestKept(v.playlist(), duration));
        audio.ifPresent(a -> longest.add(longestKept(a.playlist(), duration)));
        double maxSegment = longest.stream().mapToDouble(Double::doubleValue).max().orElseThrow();

        StringBuilder xml = new StringBuilder();
        xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        xml.append(String.format(Locale.ROOT,
                "<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" profiles=\"urn:mpeg:dash:profile:isoff-live:2011\" "
                        + "type=\"static\" mediaPresentationDuration=\"%s\" maxSegmentDuration=\"%s\" minBufferTime=\"PT4S\">\n",
                isoDuration(duration), isoDurationRoundedUp(maxSegment)));
        xml.append("  <Period id=\"0\" start=\"PT0S\">\n");
        // One video AdaptationSet per codec family (avc1, av01): DASH-IF IOP has players switch
        // only within an AdaptationSet, and a player leaves out a set it cannot decode (dash.js
        // checks MediaSource.isTypeSupported). H.264 first as id 0; the audio set keeps id 1.
        Map<String, List<VideoRendition>> families = new LinkedHashMap<>();
        for (VideoRendition v : HlsMasterPlaylist.sortedByBitrate(video)) {
            families.computeIfAbsent(family(v), k -> new ArrayList<>()).add(v);
        }
        List<String> order = new ArrayList<>(families.keySet());
        order.sort(Comparator.comparing((String f) -> !f.equals("avc1")));
        for (int i = 0; i < order.size(); i++) {
            videoAdaptationSet(xml, i == 0 ? 0 : i + 1, families.get(order.get(i)), duration);
        }
        audio.ifPresent(a -> {
            xml.append("    <AdaptationSet id=\"1\" contentType=\"audio\" mimeType=\"audio/mp4\" lang=\"")
                    .append(escape(a.language())).append("\" segmentAlignment=\"true\" startWithSAP=\"1\">\n");
            xml.append(String.format(Locale.ROOT,
                    "      <Representation id=\"%s\" bandwidth=\"%d\" codecs=\"%s\" audioSamplingRate=\"%d\">\n",
                    escape(a.name()), a.peakBitsPerSecond(), escape(a.codecs()), a.sampleRate()));
            xml.append("        <AudioChannelConfiguration schemeIdUri=\"urn:mpeg:dash:23003:3:audio_channel_configuration:2011\" value=\"")
                    .append(a.channels()).append("\"/>\n");
            segmentTemplate(xml, a.name(), a.playlist(), a.timescale(), duration);
            xml.append("      </Representation>\n");
            xml.append("    </AdaptationSet>\n");
        });
        xml.append("  </Period>\n</MPD>\n");
        return xml.toString();
    }

    /** The first part of the rendition's codecs string: "avc1", "av01". */
    private static String family(VideoRendition v) {
        String codecs = v.rung().codecs();
        int dot = codecs.indexOf('.');
        return dot < 0 ? codecs : codecs.substring(0, dot);
    }

    /** @param sorted the set's renditions, lowest planned rate first */
    private static void videoAdaptationSet(StringBuilder xml, int id, List<VideoRendition> sorted, double duration) {
        VideoRendition largest = sorted.stream().max(Comparator.comparingLong(v -> (long) v.rung().width() * v.rung().height())).orElseThrow();
        double maxFrameRate = sorted.stream().mapToDouble(VideoRendition::frameRate).max().orElseThrow();
        xml.append(String.format(Locale.ROOT,
                "    <AdaptationSet id=\"%d\" contentType=\"video\" mimeType=\"video/mp4\" segmentAlignment=\"true\" "
                        + "startWithSAP=\"1\" par=\"%s\" maxWidth=\"%d\" maxHeight=\"%d\" maxFrameRate=\"%s\">\n",
                id, pictureAspectRatio(largest.rung().width(), largest.rung().height()),
                sorted.stream().mapToInt(v -> v.rung().width()).max().orElseThrow(),
                sorted.stream().mapToInt(v -> v.rung().height()).max().orElseThrow(),
                frameRate(maxFrameRate)));
        for (VideoRendition v : sorted) {
            xml.append(String.format(Locale.ROOT,
                    "      <Representation id=\"%s\" bandwidth=\"%d\" width=\"%d\" height=\"%d\" sar=\"1:1\" codecs=\"%s\" frameRate=\"%s\">\n",
                    escape(v.name()), v.peakBitsPerSecond(), v.rung().width(), v.rung().height(),
                    escape(v.rung().codecs()), frameRate(v.frameRate())));
            segmentTemplate(xml, v.name(), v.playlist(), v.timescale(), duration);
            xml.append("      </Representation>\n");
        }
        xml.append("    </AdaptationSet>\n");
    }

    private static void segmentTemplate(StringBuilder xml, String name, MediaPlaylist playlist, long timescale, double duration) {
        xml.append("        <SegmentTemplate timescale=\"").append(timescale).append("\" initialization=\"")
                .append(escape(BlobKeys.initSegmentPath(name))).append("\" media=\"").append(escape(BlobKeys.segmentTemplatePath(name)))
                .append("\" startNumber=\"1\">\n");
        xml.append("          <SegmentTimeline>\n");
        for (TimelineRun run : timeline(playlist, timescale, duration)) {
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
     * so rounding never drifts away from the media timestamps. ffmpeg prints EXTINF in
     * microseconds from timestamps in this very timescale, so the rounding recovers them exactly.
     * Equal consecutive durations collapse into one {@code <S>} with a repeat count. Segments
     * starting at or after {@code presentationEnd} are left out (see {@link #render}).
     */
    static List<TimelineRun> timeline(MediaPlaylist playlist, long timescale, double presentationEnd) {
        List<TimelineRun> runs = new ArrayList<>();
        double elapsed = 0;
        for (MediaPlaylist.Segment segment : kept(playlist, presentationEnd)) {
            long start = Math.round(elapsed * timescale);
            elapsed += segment.durationSeconds();
            long duration = Math.round(elapsed * timescale) - start;
            if (!runs.isEmpty() && runs.getLast().duration == duration) {
                TimelineRun last = runs.removeLast();
                runs.add(new TimelineRun(last.start, last.duration, last.repeat + 1));
            } else {
                runs.add(new TimelineRun(start, duration, 0));
            }
        }
        return runs;
    }

    /** The segments that start before the presentation ends (always at least the first). */
    static List<MediaPlaylist.Segment> kept(MediaPlaylist playlist, double presentationEnd) {
        List<MediaPlaylist.Segment> kept = new ArrayList<>();
        double start = 0;
        for (MediaPlaylist.Segment segment : playlist.segments()) {
            // Half a millisecond of slack: EXTINF sums carry microsecond rounding.
            if (!kept.isEmpty() && start >= presentationEnd - 0.0005) break;
            kept.add(segment);
            start += segment.durationSeconds();
        }
        return kept;
    }

    private static double longestKept(MediaPlaylist playlist, double presentationEnd) {
        return kept(playlist, presentationEnd).stream().mapToDouble(MediaPlaylist.Segment::durationSeconds).max().orElse(0);
    }

    static String isoDuration(double seconds) {
        return String.format(Locale.ROOT, "PT%.3fS", seconds);
    }

    /** Up to the next millisecond: maxSegmentDuration must cover the longest segment (4.010667 s is PT4.011S). */
    static String isoDurationRoundedUp(double seconds) {
        return String.format(Locale.ROOT, "PT%.3fS", Math.ceil(seconds * 1000 - 1e-6) / 1000);
    }

    /** width:height in lowest terms, e.g. 1920x1080 is 16:9. */
    static String pictureAspectRatio(int width, int height) {
        int gcd = BigInteger.valueOf(width).gcd(BigInteger.valueOf(height)).intValue();
        return width / gcd + ":" + height / gcd;
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
