package org.kinora.media.ffmpeg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads container and stream metadata with ffprobe and decides whether the file is a video
 * Kinora can transcode. It does not decode the whole file: a file whose index is intact but whose
 * media data is cut short passes here and fails later, in the transcode.
 */
public final class MediaProbe {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Codecs that, without a real duration, mean "a picture", not "a video". */
    private static final Set<String> IMAGE_CODECS = Set.of("mjpeg", "png", "bmp", "webp", "tiff", "gif", "jpegls", "jpeg2000", "qoi");
    /** Shorter than one frame at 24 fps plus slack: a still image rather than a clip. */
    private static final double MIN_VIDEO_SECONDS = 0.1;

    private final Ffmpeg ffmpeg;

    public MediaProbe(Ffmpeg ffmpeg) {
        this.ffmpeg = ffmpeg;
    }

    /**
     * @throws UnplayableMediaException if the file is not a video Kinora can read
     * @throws FfmpegException if ffprobe itself could not be run (timeout, missing executable)
     */
    public MediaInfo probe(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("No such file: " + file);
        }
        String json;
        try {
            json = ffmpeg.runFfprobe(List.of("-v", "error", "-print_format", "json", "-show_format", "-show_streams",
                    file.toAbsolutePath().toString()));
        } catch (FfmpegException e) {
            if (e.stderrTail().isEmpty()) {
                throw e; // ffprobe did not run at all, or was cancelled: not the file's fault
            }
            throw new UnplayableMediaException("The file is not a video Kinora can read (ffprobe: "
                    + reason(e.stderrTail(), file) + ").", e);
        }
        try {
            return interpret(JSON.readTree(json), sizeOf(file));
        } catch (IOException e) {
            throw new FfmpegException("ffprobe printed output that is not JSON: " + e.getMessage(), e);
        }
    }

    static MediaInfo interpret(JsonNode root, long sizeBytes) {
        JsonNode format = root.path("format");
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
        String formatName = format.path("format_name").asText("");
        double duration = positive(format.path("duration").asText(""));
        if (Double.isNaN(duration)) {
            duration = positive(video.path("duration").asText(""));
        }
        String videoCodec = video.path("codec_name").asText("");
        boolean imageFormat = formatName.equals("image2") || formatName.endsWith("_pipe");
        boolean stillImage = IMAGE_CODECS.contains(videoCodec) && (Double.isNaN(duration) || duration < MIN_VIDEO_SECONDS);
        if (imageFormat || stillImage) {
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
        String path = file.toAbsolutePath().toString();
        if (line.startsWith(path + ": ")) {
            line = line.substring(path.length() + 2);
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
