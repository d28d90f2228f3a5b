package org.kinora.media.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.kinora.media.ffmpeg.Ffmpeg;
import org.kinora.media.ffmpeg.MediaInfo;
import org.kinora.media.ffmpeg.UntrustedInput;
import org.kinora.media.packaging.CmafEncoder;

/**
 * Whether the first pass may publish the source's own video stream, copied without re-encoding
 * (issue 15, "one decode"): then the first pass decodes nothing but the poster's frame, and the
 * ladder job decodes the source once for every rung. Only a stream every browser plays as it is,
 * and whose copied segments line up with the ladder's, qualifies:
 *
 * <ul>
 *   <li>H.264, 8-bit 4:2:0 ({@code yuv420p}), progressive, profile Constrained Baseline, Main or
 *       High, level at most {@value #MAX_LEVEL} (5.1: what desktop and phone decoders accept);</li>
 *   <li>not rotated (a copied stream keeps its display matrix, which MSE players ignore);</li>
 *   <li>square pixels (sample aspect ratio 1:1, or none said): the MPD declares {@code sar="1:1"} for
 *       every rung and the ladder's rungs are scaled to square pixels ({@code setsar=1}), so an
 *       anamorphic copy would be shown squeezed by players that trust the MPD and switch size
 *       against the ladder's rungs;</li>
 *   <li>at most {@code maxMbps} (a viewer has to carry the source's rate while the ladder is
 *       encoded; 0 turns copying off);</li>
 *   <li>a keyframe on every {@value CmafEncoder#SEGMENT_SECONDS} s boundary, within half a frame:
 *       the HLS muxer cuts a copied stream only at keyframes, so only then are its segments
 *       ~4 s and at the same instants as the ladder's forced keyframes.</li>
 * </ul>
 *
 * Pure: {@link #decide} reads only the {@link Facts} that {@link #probe} gathered.
 */
public final class SourceCopy {
    /** The rendition name of the copied stream (its folder under the video). */
    public static final String RENDITION = "source";
    /** H.264 level times ten, as ffprobe reports it. */
    static final int MAX_LEVEL = 51;
    static final Set<String> PROFILES = Set.of("Constrained Baseline", "Main", "High");
    private static final ObjectMapper JSON = new ObjectMapper();

    private SourceCopy() {}

    /**
     * How long a copied source's files outlive its removal from the master: one hour plus twice
     * the video's length. A viewer who loaded its playlist before the ladder replaced it (players
     * never reload the master) can watch to the end, with pauses, within that; one who pauses
     * longer gets 404s for the copy's segments, on which hls.js switches to another level.
     */
    public static java.time.Duration grace(double durationSeconds) {
        return java.time.Duration.ofHours(1).plusSeconds((long) Math.ceil(2 * durationSeconds));
    }

    /** Where retired copies are recorded, so that their files are deleted once their grace has passed. */
    public interface Retirements {
        /** Keeps the files until the video is deleted (for embedders without the server's cleanup task). */
        Retirements KEEP = (videoId, deleteAfter) -> {};

        void retire(String videoId, java.time.Instant deleteAfter);
    }

    /**
     * What the decision needs about the source's video stream.
     *
     * @param bitRate bits per second (the stream's, else the whole file's), 0 if unknown
     * @param codedWidth the stream's own width, which differs from the display width when it is rotated a quarter turn
     * @param rotated whether the stream carries any rotation
     * @param boundaryKeyframes for each of the {@link #probedBoundaries} in order, the time of the
     *                          keyframe a seek to it found (relative to the first packet), empty if none
     * @param sampleAspectRatio ffprobe's {@code sample_aspect_ratio} ("1:1", "64:45"; "0:1", "N/A" or "" when unsaid)
     */
    public record Facts(String codec, String profile, int level, String pixelFormat, String fieldOrder, long bitRate,
                        boolean rotated, List<OptionalDouble> boundaryKeyframes, String sampleAspectRatio) {}

    /** The outcome, with the reason in words for the log. */
    public record Decision(boolean copy, String reason) {}

    /** Decides from the facts; {@code maxMbps} 0 turns copying off. */
    public static Decision decide(Facts f, MediaInfo info, int maxMbps) {
        if (maxMbps <= 0) return no("transcode.source-copy-max-mbps is 0");
        if (!"h264".equals(f.codec())) return no("the video codec is " + f.codec() + ", not H.264");
        if (!"yuv420p".equals(f.pixelFormat())) return no("the pixel format is " + f.pixelFormat() + ", not 8-bit 4:2:0 (yuv420p)");
        if (!PROFILES.contains(f.profile())) return no("the H.264 profile is " + f.profile() + ", not one of " + PROFILES);
        if (f.level() <= 0 || f.level() > MAX_LEVEL) return no("the H.264 level is " + f.level() / 10.0 + ", above " + MAX_LEVEL / 10.0);
        if (f.fieldOrder() != null && !f.fieldOrder().isEmpty() && !f.fieldOrder().equals("progressive") && !f.fieldOrder().equals("unknown")) {
            return no("the video is interlaced (" + f.fieldOrder() + ")");
        }
        // Before the rotation check: a non-square source's display width (MediaProbe) differs from its stored one.
        if (!squarePixels(f.sampleAspectRatio())) {
            return no("the pixels are not square (sample aspect ratio " + f.sampleAspectRatio()
                    + "; the MPD declares sar=\"1:1\"; the ladder's rungs are square, at the shape the picture is shown)");
        }
        if (f.rotated()) return no("the video is rotated (a copied stream would play sideways in MSE players)");
        if (f.bitRate() <= 0) return no("the video bit rate is unknown");
        if (f.bitRate() > maxMbps * 1_000_000L) {
            return no(String.format(Locale.ROOT, "the video is %.1f Mb/s, above transcode.source-copy-max-mbps = %d", f.bitRate() / 1e6, maxMbps));
        }
        List<Integer> probed = probedBoundaries(info.durationSeconds());
        int expected = probed.size();
        if (f.boundaryKeyframes().size() != expected) {
            return no("keyframes were found for " + f.boundaryKeyframes().size() + " of " + expected + " segment boundaries");
        }
        double tolerance = 0.5 / info.frameRate();
        for (int k = 0; k < expected; k++) {
            double boundary = probed.get(k);
            OptionalDouble key = f.boundaryKeyframes().get(k);
            if (key.isEmpty() || Math.abs(key.getAsDouble() - boundary) > tolerance) {
                return no(String.format(Locale.ROOT, "no keyframe at %.0f s (nearest before it: %s)", boundary,
                        key.isEmpty() ? "none" : String.format(Locale.ROOT, "%.3f s", key.getAsDouble())));
            }
        }
        int all = boundaries(info.durationSeconds()).size();
        return new Decision(true, String.format(Locale.ROOT, "H.264 %s %.1f, %.1f Mb/s, a keyframe on each of the %d segment boundaries%s",
                f.profile(), f.level() / 10.0, f.bitRate() / 1e6, expected, expected == all ? "" : " probed (of " + all + "; the muxer checks the rest)"));
    }

    /**
     * The check after the fact, on what the HLS muxer actually cut: the index of the first copied
     * segment that is not {@value CmafEncoder#SEGMENT_SECONDS} s within half a frame (the last
     * one of a finished rendition may be shorter), or -1 when all are. A growing playlist lists a
     * segment only once the muxer has cut it, so every listed one but a finished rendition's last
     * must be whole.
     */
    public static int firstMisaligned(List<Double> durations, boolean complete, double frameRate) {
        double tolerance = 0.5 / Math.max(1, frameRate);
        for (int i = 0; i < durations.size(); i++) {
            double d = durations.get(i);
            boolean last = complete && i == durations.size() - 1;
            if (last ? d > CmafEncoder.SEGMENT_SECONDS + tolerance : Math.abs(d - CmafEncoder.SEGMENT_SECONDS) > tolerance) return i;
        }
        return -1;
    }

    /** Boundaries probed at the start of the video, all of them. */
    static final int PROBED_FIRST = 16;
    /** Boundaries probed over the rest, evenly spread, the last one included. */
    static final int PROBED_SPREAD = 48;

    /**
     * The boundaries whose keyframes are probed before the copy is chosen: every one of a video of
     * up to {@value #PROBED_FIRST} + {@value #PROBED_SPREAD} segments, else the first
     * {@value #PROBED_FIRST} and {@value #PROBED_SPREAD} spread evenly over the rest. Each probed
     * boundary costs a seek (about 1.2 ms here), so probing all of them made the time to playable
     * grow with length (+150 ms for 10 minutes, +2 s for two hours); a fixed count keeps it flat. A
     * source with a keyframe on all of these and not on some other boundary is rare (a fixed GOP,
     * as phones and cameras write, has them everywhere); for one, the muxer's cut is checked as it
     * happens ({@link #firstMisaligned}): publishing stops at that segment and the first pass
     * encodes the lowest rung instead, as for any source that cannot be copied.
     */
    static List<Integer> probedBoundaries(double durationSeconds) {
        List<Integer> all = boundaries(durationSeconds);
        if (all.size() <= PROBED_FIRST + PROBED_SPREAD) return all;
        List<Integer> out = new ArrayList<>(all.subList(0, PROBED_FIRST));
        int rest = all.size() - PROBED_FIRST;
        for (int i = 1; i <= PROBED_SPREAD; i++) {
            int index = PROBED_FIRST - 1 + (int) Math.round((double) i * rest / PROBED_SPREAD);
            int boundary = all.get(Math.min(index, all.size() - 1));
            if (boundary > out.getLast()) out.add(boundary);
        }
        return out;
    }

    /** The segment boundaries before the end: 0, 4, 8, ... (each starts a segment). */
    static List<Integer> boundaries(double durationSeconds) {
        List<Integer> out = new ArrayList<>();
        for (int t = 0; t < durationSeconds - 1e-6; t += CmafEncoder.SEGMENT_SECONDS) out.add(t);
        return out;
    }

    /**
     * Gathers the facts with one ffprobe run that decodes nothing: the stream's header fields, and
     * for each probed boundary ({@link #probedBoundaries}) a seek (through the container's index)
     * that reads one packet, the keyframe at or before it: at most 64 seeks, never a read of the file.
     */
    public static Facts probe(Ffmpeg ffmpeg, Path source, MediaInfo info) {
        List<Integer> boundaries = probedBoundaries(info.durationSeconds());
        // The first packet tells where the timeline starts; each boundary is sought half a frame
        // late so that a keyframe exactly on it (whose decode time may be a little earlier) is found.
        double late = 0.5 / Math.max(1, info.frameRate());
        List<String> intervals = new ArrayList<>();
        List<String> args = new ArrayList<>(List.of("-v", "error", "-select_streams", "v:0",
                "-show_entries", "stream=codec_name,profile,level,pix_fmt,field_order,bit_rate,width,sample_aspect_ratio:stream_side_data=rotation"
                        + ":format=bit_rate:packet=pts_time,flags",
                "-of", "json"));
        JsonNode head = parse(ffmpeg.runFfprobe(withIntervals(args, "%+#1", info), source));
        double start = 0;
        for (JsonNode p : head.path("packets")) start = p.path("pts_time").asDouble(0);
        for (int b : boundaries) intervals.add(String.format(Locale.ROOT, "%.6f%%+#1", start + b + late));
        JsonNode all = parse(ffmpeg.runFfprobe(withIntervals(args, String.join(",", intervals), info), source));
        List<OptionalDouble> keys = new ArrayList<>();
        for (JsonNode p : all.path("packets")) {
            String pts = p.path("pts_time").asText("N/A");
            boolean key = p.path("flags").asText("").startsWith("K");
            keys.add(key && !pts.equals("N/A") ? OptionalDouble.of(Double.parseDouble(pts) - start) : OptionalDouble.empty());
        }
        JsonNode stream = head.path("streams").path(0);
        long rate = stream.path("bit_rate").asLong(0);
        if (rate <= 0) rate = head.path("format").path("bit_rate").asLong(0);
        boolean rotated = false;
        for (JsonNode side : stream.path("side_data_list")) {
            if (side.has("rotation") && Math.abs(side.path("rotation").asDouble()) > 0.5) rotated = true;
        }
        if (stream.path("width").asInt(info.width()) != info.width()) rotated = true;
        return new Facts(stream.path("codec_name").asText(""), stream.path("profile").asText(""), stream.path("level").asInt(0),
                stream.path("pix_fmt").asText(""), stream.path("field_order").asText(""), rate, rotated, keys,
                stream.path("sample_aspect_ratio").asText(""));
    }

    /** What deciding whether the audio is copied too needs: ffprobe's fields of the first audio stream. */
    public record AudioFacts(String codec, String profile, int sampleRate, int channels, long bitRate) {}

    /** The most a copied audio stream may carry; above it, the copy pass encodes 128 kb/s as for any source. */
    static final long MAX_COPIED_AUDIO_BITS = 192_000;

    /**
     * Whether the copy pass copies the audio stream too instead of encoding it. Encoding was what
     * the first segments waited for: ffmpeg's AAC encoder runs about 40x real time here, so four
     * 4 s segments of audio took ~0.4 s while the copied video's took ~0.1 s. Only what the
     * manifests already declare for Kinora's own audio is copied: AAC-LC, 48 kHz, stereo
     * ({@code AudioRendition.aacStereo}), at most 192 kb/s (every viewer carries the audio, on
     * every rung). The audio is the video's for good: the ladder never encodes audio again.
     */
    public static Decision decideAudio(AudioFacts a) {
        if (!"aac".equals(a.codec())) return no("the audio codec is " + a.codec() + ", not AAC");
        if (!"LC".equals(a.profile())) return no("the AAC profile is " + a.profile() + ", not LC");
        if (a.sampleRate() != 48_000) return no("the audio is " + a.sampleRate() + " Hz, not 48000");
        if (a.channels() != 2) return no("the audio has " + a.channels() + " channels, not 2");
        if (a.bitRate() <= 0 || a.bitRate() > MAX_COPIED_AUDIO_BITS) {
            return no(a.bitRate() <= 0 ? "the audio bit rate is unknown" : "the audio is " + a.bitRate() / 1000 + " kb/s, above 192");
        }
        return new Decision(true, "AAC-LC 48 kHz stereo, " + a.bitRate() / 1000 + " kb/s");
    }

    /** The first audio stream's facts, from its header fields (nothing is decoded or read beyond them). */
    public static AudioFacts probeAudio(Ffmpeg ffmpeg, Path source, MediaInfo info) {
        List<String> args = new ArrayList<>(List.of("-v", "error", "-select_streams", "a:0",
                "-show_entries", "stream=codec_name,profile,sample_rate,channels,bit_rate", "-of", "json"));
        args.addAll(UntrustedInput.arguments(info));
        JsonNode stream = parse(ffmpeg.runFfprobe(args, source)).path("streams").path(0);
        return new AudioFacts(stream.path("codec_name").asText(""), stream.path("profile").asText(""),
                stream.path("sample_rate").asInt(0), stream.path("channels").asInt(0), stream.path("bit_rate").asLong(0));
    }

    private static List<String> withIntervals(List<String> args, String intervals, MediaInfo info) {
        List<String> out = new ArrayList<>(args);
        out.addAll(List.of("-read_intervals", intervals));
        out.addAll(UntrustedInput.arguments(info));
        return out;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("ffprobe wrote output that is not JSON: " + e.getMessage(), e);
        }
    }

    /** 1:1, or unsaid (ffprobe's "0:1" / "N/A" / absent: players then assume square pixels). */
    static boolean squarePixels(String sar) {
        if (sar == null || sar.isEmpty() || sar.equals("N/A") || sar.equals("0:1")) return true;
        String[] n = sar.split(":");
        return n.length == 2 && n[0].equals(n[1]) && !n[0].equals("0");
    }

    private static Decision no(String reason) {
        return new Decision(false, reason);
    }
}
