package org.kinora.media.ffmpeg;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads container and stream metadata with ffprobe and decides whether the file is a video
 * Kinora can transcode. It does not decode the whole file: a file whose index is intact but whose
 * media data is cut short passes here and fails later, in the transcode.
 *
 * <p>The file is opened as {@link UntrustedInput} describes, so probing cannot read anything but
 * the file itself, and it is refused unless an allowed container demuxer recognises it and it is
 * within the {@link MediaLimits}.
 */
public final class MediaProbe {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Codecs that, without a real duration, mean "a picture", not "a video". */
    private static final Set<String> IMAGE_CODECS = Set.of("mjpeg", "png", "bmp", "webp", "tiff", "gif", "jpegls", "jpeg2000", "qoi");
    /** Shorter than one frame at 24 fps plus slack: a still image rather than a clip. */
    private static final double MIN_VIDEO_SECONDS = 0.1;
    /** Reading a header takes well under a second; a file that keeps ffprobe busy this long is refused. */
    public static final Duration PROBE_TIMEOUT = Duration.ofMinutes(2);
    /** ffprobe's log line when the probed format is not an allowed demuxer; group 1 is its name. */
    private static final Pattern NOT_ALLOWED = Pattern.compile("\\[([^\\]\\s@]+) @ 0x[0-9a-fA-F]+\\] Format not on whitelist");
    private static final Set<String> AUDIO_FORMATS = Set.of("mp3", "wav", "w64", "flac", "aac", "aiff", "ape", "amr",
            "ac3", "eac3", "dts", "truehd", "wv", "tta", "au", "caf", "mpc", "mpc8", "shn", "opus", "spdif");
    private static final Set<String> SUBTITLE_FORMATS = Set.of("srt", "ass", "webvtt", "subviewer", "subviewer1",
            "microdvd", "mpl2", "mpsub", "pjs", "realtext", "sami", "stl", "jacosub", "vplayer", "aqtitle", "lrc",
            "scc", "sup", "vobsub");

    private final Ffmpeg ffmpeg;
    private final MediaLimits limits;

    public MediaProbe(Ffmpeg ffmpeg) {
        this(ffmpeg, MediaLimits.DEFAULTS);
    }

    public MediaProbe(Ffmpeg ffmpeg, MediaLimits limits) {
        this.ffmpeg = ffmpeg.timeout().compareTo(PROBE_TIMEOUT) > 0 ? ffmpeg.withTimeout(PROBE_TIMEOUT) : ffmpeg;
        this.limits = limits;
    }

    /** The limits a probed file must be within. */
    public MediaLimits limits() {
        return limits;
    }

    /**
     * @throws UnplayableMediaException if the file is not a video Kinora can read, or is outside the limits
     * @throws FfmpegException if ffprobe itself could not be run (missing executable, cancelled)
     */
    public MediaInfo probe(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("No such file: " + file);
        }
        List<String> args = new ArrayList<>(List.of("-v", "error", "-print_format", "json", "-show_format", "-show_streams"));
        args.addAll(UntrustedInput.probeArguments());
        String json;
        try {
            json = ffmpeg.runFfprobe(args, file);
        } catch (FfmpegTimeoutException e) {
            throw new UnplayableMediaException("Reading the file's header took longer than " + PROBE_TIMEOUT.toMinutes()
                    + " minutes; it is not a video Kinora can read.", e);
        } catch (FfmpegException e) {
            if (e.stderrTail().isEmpty()) {
                throw e; // ffprobe did not run at all, or was cancelled: not the file's fault
            }
            throw new UnplayableMediaException(failureReason(e.stderrTail(), file), e);
        }
        MediaInfo info;
        try {
            info = interpret(JSON.readTree(json), sizeOf(file));
        } catch (IOException e) {
            throw new FfmpegException("ffprobe printed output that is not JSON: " + e.getMessage(), e);
        }
        limits.check(info);
        return info;
    }

    /** Why ffprobe could not open the file, in the creator's terms where the format tells. */
    private static String failureReason(String stderr, Path file) {
        Matcher refused = NOT_ALLOWED.matcher(stderr);
        if (refused.find()) {
            return formatRefusal(refused.group(1));
        }
        String text = textFormat(head(file));
        if (text != null) {
            return "The file is " + text + ", not a video file.";
        }
        return "The file is not a video Kinora can read (ffprobe: " + reason(stderr, file) + ").";
    }

    /** The reason for refusing a file that ffprobe recognised as {@code demuxer}, which is not an allowed one. */
    static String formatRefusal(String demuxer) {
        String name = demuxer.toLowerCase(Locale.ROOT);
        return switch (name) {
            case "hls", "applehttp" -> "The file is an HLS playlist, not a video file.";
            case "dash" -> "The file is an MPEG-DASH manifest, not a video file.";
            case "webm_dash_manifest" -> "The file is a WebM DASH manifest, not a video file.";
            case "concat" -> "The file is an ffmpeg concat script, not a video file.";
            case "imf" -> "The file is an IMF composition playlist, not a video file.";
            case "tty" -> "The file is a text file, not a video file.";
            case "image2" -> "The file is a still image, not a video.";
            default -> {
                if (name.endsWith("_pipe")) yield "The file is a still image, not a video.";
                if (AUDIO_FORMATS.contains(name)) yield "The file has no video stream, only audio.";
                if (SUBTITLE_FORMATS.contains(name)) yield "The file is a subtitle file, not a video file.";
                yield "The file's format (" + name + ") is not one Kinora accepts. Upload a video file such as "
                        + "MP4, MOV, MKV, WebM, AVI or MPEG-TS.";
            }
        };
    }

    /**
     * Names the playlist and script formats that ffprobe does not even detect when the file has no
     * telling extension (it reads {@code fd:}), so that their creators learn what they uploaded.
     */
    static String textFormat(String head) {
        String start = head.strip();
        if (start.startsWith("\uFEFF")) start = start.substring(1).strip();
        if (start.startsWith("#EXTM3U")) return "an HLS playlist";
        if (start.startsWith("ffconcat")) return "an ffmpeg concat script";
        if (start.startsWith("<")) {
            if (start.contains("<MPD")) return "an MPEG-DASH manifest";
            if (start.contains("CompositionPlaylist")) return "an IMF composition playlist";
        }
        return null;
    }

    /** The first 4 KB of the file as text (lossy for binary files, which is fine for a prefix test). */
    private static String head(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(4096), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    static MediaInfo interpret(JsonNode root, long sizeBytes) {
        JsonNode format = root.path("format");
        String formatName = format.path("format_name").asText("");
        if (!UntrustedInput.isAllowed(formatName)) {
            throw new UnplayableMediaException(formatRefusal(formatName.split(",")[0]));
        }
        JsonNode video = null;
        JsonNode audio = null;
        for (JsonNode stream : root.path("streams")) {
            String type = stream.path("codec_type").asText();
            // Cover art in music files is a "video" stream with the attached_pic disposition.
            boolean coverArt = stream.path("disposition").path("attached_pic").asInt() == 1;
            if (type.equals("video") && !coverArt && video == null) {
                video = stream;
            } else if (type.equals("audio") && audio == null) {
                audio = stream;
            }
        }
        if (video == null) {
            throw new UnplayableMediaException(audio != null
                    ? "The file has no video stream, only audio."
                    : "The file has no video stream.");
        }
        double duration = positive(format.path("duration").asText(""));
        if (Double.isNaN(duration)) {
            duration = positive(video.path("duration").asText(""));
        }
        String videoCodec = video.path("codec_name").asText("");
        // An allowed container can still hold a single picture (a one-frame MJPEG in a MOV).
        boolean stillImage = IMAGE_CODECS.contains(videoCodec) && (Double.isNaN(duration) || duration < MIN_VIDEO_SECONDS);
        if (stillImage) {
            throw new UnplayableMediaException("The file is a still image, not a video.");
        }
        if (Double.isNaN(duration)) {
            throw new UnplayableMediaException("The file has no duration; it may be damaged or incomplete.");
        }
        int width = video.path("width").asInt(0);
        int height = video.path("height").asInt(0);
        if (width <= 0 || height <= 0) {
            throw new UnplayableMediaException("The video has no picture size; the file may be damaged.");
        }
        // ffprobe names the pixel format once it has parsed or decoded a picture. None in a QuickTime/MP4
        // file: not one packet of the stream could be read, as in a reference movie whose track lives in
        // another file (never opened: UntrustedInput). Refused now, rather than failing every transcode
        // attempt. Only there: in MPEG-TS or MXF captures the first picture may lie past the probe's
        // window, and those files transcode.
        if (formatName.startsWith("mov") && video.path("pix_fmt").asText("").isEmpty()) {
            throw new UnplayableMediaException("The video stream cannot be read: the file holds no picture of it. It may be a "
                    + "reference movie whose media is in other files, or damaged; export it as one self-contained file "
                    + "(for example H.264 MP4) and upload that.");
        }
        // Non-square pixels (a DVD's 720x576 shown at 16:9 has 64:45): the ladder is planned, and scaled
        // with setsar=1, from the size the picture is shown at, so every rung keeps the source's shape.
        double sar = rate(video.path("sample_aspect_ratio").asText("").replace(':', '/'));
        if (!Double.isNaN(sar) && Math.abs(sar - 1) > 0.001) {
            // A crafted ratio (2147483647:1) must not wrap around an int into a size that passes the limits:
            // anything past int range stays huge, and MediaLimits refuses it with its size.
            double shown = width * sar;
            width = shown >= Integer.MAX_VALUE - 2 ? Integer.MAX_VALUE - 1 : Math.max(2, (int) Math.round(shown / 2) * 2);
        }
        if (isQuarterTurn(rotation(video))) {
            int w = width;
            width = height;
            height = w;
        }
        double frameRate = rate(video.path("avg_frame_rate").asText(""));
        if (Double.isNaN(frameRate)) {
            frameRate = rate(video.path("r_frame_rate").asText(""));
        }
        if (Double.isNaN(frameRate)) {
            throw new UnplayableMediaException("The video has no frame rate; the file may be damaged.");
        }
        return new MediaInfo(duration, width, height, frameRate, audio != null, videoCodec,
                audio == null ? null : audio.path("codec_name").asText(null), formatName, sizeBytes,
                audio == null ? null : audio.path("tags").path("language").asText(null));
    }

    /** Degrees from the display matrix side data, else from the legacy {@code rotate} tag; 0 if none. */
    private static double rotation(JsonNode video) {
        for (JsonNode sideData : video.path("side_data_list")) {
            if (sideData.has("rotation")) {
                return sideData.path("rotation").asDouble();
            }
        }
        return video.path("tags").path("rotate").asDouble(0);
    }

    private static boolean isQuarterTurn(double degrees) {
        long normalized = Math.floorMod(Math.round(degrees), 360);
        return normalized == 90 || normalized == 270;
    }

    /** Parses "30000/1001" or "25"; NaN for "0/0", "N/A" or nonsense. */
    static double rate(String text) {
        try {
            int slash = text.indexOf('/');
            double value = slash < 0
                    ? Double.parseDouble(text)
                    : Double.parseDouble(text.substring(0, slash)) / Double.parseDouble(text.substring(slash + 1));
            return value > 0 && Double.isFinite(value) ? value : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static double positive(String text) {
        try {
            double value = Double.parseDouble(text);
            return value > 0 && Double.isFinite(value) ? value : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** The last stderr line without the "path: " or "[demuxer @ 0x...] " prefixes ffmpeg adds. */
    static String reason(String stderr, Path file) {
        List<String> lines = stderr.strip().lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) {
            return "unknown error";
        }
        String line = lines.getLast().strip();
        for (String input : List.of(file.toAbsolutePath().toString(), UntrustedInput.URL)) {
            if (line.startsWith(input + ": ")) {
                line = line.substring(input.length() + 2);
            }
        }
        if (line.startsWith("[") && line.contains("] ")) {
            line = line.substring(line.indexOf("] ") + 2);
        }
        return line;
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
