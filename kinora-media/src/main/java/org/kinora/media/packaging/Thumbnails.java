package org.kinora.media.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.kinora.core.blob.BlobKeys;
import org.kinora.media.ffmpeg.Ffmpeg;
import org.kinora.media.ffmpeg.MediaInfo;
import org.kinora.media.ffmpeg.UntrustedInput;

/**
 * Poster images and scrub-bar storyboards. Frames are taken in display orientation (ffmpeg
 * auto-rotates). The source is opened as {@link UntrustedInput} describes.
 */
public final class Thumbnails {
    static final int POSTER_MAX_HEIGHT = 720;
    /** Skip fades from black at the start, but do not go far into long videos. */
    static final double POSTER_FRACTION = 0.1;
    static final double POSTER_MAX_SECONDS = 5;

    static final int TILE_WIDTH = 160;
    static final int COLUMNS = 10;
    static final int ROWS = 10;
    /** Aim for at most this many tiles, so one sheet covers most videos. */
    static final int TARGET_TILES = 100;

    private final Ffmpeg ffmpeg;

    public Thumbnails(Ffmpeg ffmpeg) {
        this.ffmpeg = ffmpeg;
    }

    /** Writes one JPEG frame from ~10% into the video (at most 5 s), at most 720 px high. */
    public Path poster(Path source, MediaInfo info, Path outJpg) {
        double at = posterTime(info.durationSeconds());
        createParent(outJpg);
        List<String> args = new ArrayList<>(List.of("-v", "error", "-y", "-ss", seconds(at)));
        args.addAll(UntrustedInput.arguments(info));
        args.addAll(List.of("-frames:v", "1", "-vf", "scale=-2:'min(" + POSTER_MAX_HEIGHT + ",ih)':flags=lanczos,setsar=1",
                "-q:v", "3", "-update", "1", outJpg.toAbsolutePath().toString()));
        ffmpeg.runFfmpeg(args, source);
        return outJpg;
    }

    static double posterTime(double duration) {
        return Math.min(duration * POSTER_FRACTION, POSTER_MAX_SECONDS);
    }

    /**
     * Writes {@code sprite_0.jpg, sprite_1.jpg, ...} (10x10 tiles of 160 px wide) and
     * {@code storyboard.vtt} into {@code outDir}. Every frame is decoded so each tile shows the
     * frame at its exact time, not the nearest keyframe. {@link CmafEncoder} can write the same
     * from the ladder's own decode instead (see {@link CmafEncoder.Extras}).
     */
    public Storyboard storyboard(Path source, MediaInfo info, Path outDir) {
        List<String> args = new ArrayList<>(List.of("-v", "error", "-y"));
        args.addAll(UntrustedInput.arguments(info));
        args.addAll(List.of("-an", "-filter_complex", "[0:v:0]" + storyboardFilter(info) + "[board]"));
        args.addAll(storyboardOutput(info, "[board]", outDir));
        ffmpeg.runFfmpeg(args, source);
        return finishStoryboard(info, outDir);
    }

    /** The poster's filter chain for one branch of a decode: the frame at {@link #posterTime}, at most 720 px high. */
    static String posterFilter(MediaInfo info) {
        return "trim=start=" + seconds(posterTime(info.durationSeconds())) + ",scale=-2:'min(" + POSTER_MAX_HEIGHT + ",ih)':flags=lanczos,setsar=1";
    }

    /**
     * The poster's filter chain for a decode of keyframes only ({@code -skip_frame nokey}): every
     * keyframe up to {@link #posterTime}, the last of which {@link #latestPosterOutput} keeps. A
     * trim to that time would get no frame at all when no keyframe follows it (a short clip has one,
     * at 0), and ffmpeg then fails opening the JPEG encoder for a stream it never saw.
     */
    static String posterFilterFromKeyframes(MediaInfo info) {
        return "select=lte(t\\," + seconds(posterTime(info.durationSeconds())) + "),scale=-2:'min(" + POSTER_MAX_HEIGHT + ",ih)':flags=lanczos,setsar=1";
    }

    /**
     * The storyboard's filter chain for a decode of keyframes only: as {@link #storyboardFilter},
     * but the last keyframe is passed on at the end ({@code eof_action=pass}); with the default, a
     * clip whose only keyframe is its first frame gives the fps filter nothing to emit, and ffmpeg
     * fails opening the JPEG encoder for a stream it never saw.
     */
    static String storyboardFilterFromKeyframes(MediaInfo info) {
        return storyboardFilter(info, ":eof_action=pass");
    }

    /** The output options that write every frame of {@code pad} over the same JPEG: the last one stays. */
    static List<String> latestPosterOutput(String pad, Path outJpg) {
        createParent(outJpg);
        return List.of("-map", pad, "-q:v", "3", "-update", "1", outJpg.toAbsolutePath().toString());
    }

    /** The output options that write the branch {@code pad} as the single poster JPEG. */
    static List<String> posterOutput(String pad, Path outJpg) {
        createParent(outJpg);
        return List.of("-map", pad, "-frames:v", "1", "-q:v", "3", "-update", "1", outJpg.toAbsolutePath().toString());
    }

    /** The storyboard's filter chain for one branch of a decode: one tile per interval, 10x10 to a sheet. */
    static String storyboardFilter(MediaInfo info) {
        return storyboardFilter(info, "");
    }

    private static String storyboardFilter(MediaInfo info, String fpsOptions) {
        return String.format(Locale.ROOT, "fps=1/%s:start_time=0%s,scale=%d:%d,setsar=1,tile=%dx%d",
                seconds(interval(info.durationSeconds())), fpsOptions, TILE_WIDTH, tileHeight(info), COLUMNS, ROWS);
    }

    /** The output options that write the branch {@code pad} as the storyboard's sheets in {@code outDir}. */
    static List<String> storyboardOutput(MediaInfo info, String pad, Path outDir) {
        createParent(outDir.resolve("x"));
        return List.of("-map", pad, "-frames:v", Integer.toString(sheetCount(info)), "-q:v", "5", "-start_number", "0",
                outDir.toAbsolutePath().resolve(BlobKeys.SPRITE_PATTERN).toString());
    }

    /** Checks the sheets ffmpeg wrote into {@code outDir} and writes the VTT that maps times to tiles. */
    static Storyboard finishStoryboard(MediaInfo info, Path outDir) {
        double interval = interval(info.durationSeconds());
        int tileHeight = tileHeight(info);
        int tileCount = tileCount(info);
        List<Path> sheets = new ArrayList<>();
        for (int i = 0; i < sheetCount(info); i++) {
            Path sheet = outDir.resolve(BlobKeys.sprite(i));
            if (!Files.isRegularFile(sheet)) {
                throw new IllegalStateException("ffmpeg finished but did not write " + sheet);
            }
            sheets.add(sheet);
        }
        Path vtt = outDir.resolve(BlobKeys.STORYBOARD);
        try {
            Files.writeString(vtt, vtt(info.durationSeconds(), interval, tileCount, TILE_WIDTH, tileHeight));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + vtt, e);
        }
        return new Storyboard(vtt, sheets, TILE_WIDTH, tileHeight, COLUMNS, ROWS, interval, tileCount);
    }

    private static int tileHeight(MediaInfo info) {
        return Math.max(2, 2 * (int) Math.round(TILE_WIDTH * (double) info.height() / info.width() / 2));
    }

    private static int tileCount(MediaInfo info) {
        return Math.max(1, (int) Math.ceil(info.durationSeconds() / interval(info.durationSeconds()) - 1e-9));
    }

    private static int sheetCount(MediaInfo info) {
        int perSheet = COLUMNS * ROWS;
        return (tileCount(info) + perSheet - 1) / perSheet;
    }

    /** Whole seconds, at least 1, so that about {@value #TARGET_TILES} tiles cover the video. */
    static double interval(double duration) {
        return Math.max(1, Math.ceil(duration / TARGET_TILES));
    }

    static String vtt(double duration, double interval, int tileCount, int tileWidth, int tileHeight) {
        StringBuilder vtt = new StringBuilder("WEBVTT\n");
        int perSheet = COLUMNS * ROWS;
        for (int i = 0; i < tileCount; i++) {
            double start = i * interval;
            double end = Math.min(duration, (i + 1) * interval);
            int inSheet = i % perSheet;
            vtt.append('\n').append(timestamp(start)).append(" --> ").append(timestamp(end)).append('\n')
                    .append(BlobKeys.sprite(i / perSheet)).append("#xywh=")
                    .append((inSheet % COLUMNS) * tileWidth).append(',').append((inSheet / COLUMNS) * tileHeight).append(',')
                    .append(tileWidth).append(',').append(tileHeight).append('\n');
        }
        return vtt.toString();
    }

    static String timestamp(double seconds) {
        long millis = Math.round(seconds * 1000);
        return String.format(Locale.ROOT, "%02d:%02d:%02d.%03d",
                millis / 3_600_000, millis / 60_000 % 60, millis / 1000 % 60, millis % 1000);
    }

    private static String seconds(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    private static void createParent(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the folder for " + file, e);
        }
    }
}
