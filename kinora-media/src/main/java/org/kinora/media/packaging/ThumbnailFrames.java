package org.kinora.media.packaging;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.kinora.media.ffmpeg.Ffmpeg;
import org.kinora.media.ffmpeg.MediaInfo;
import org.kinora.media.ffmpeg.UntrustedInput;

/**
 * Frames for a video's thumbnail: any moment the creator picks, and suggestions that are neither
 * black nor blurred. Candidates are taken evenly between 5 % and 95 % of the video; each is
 * measured on a small grey copy: the mean luma (black or nearly: below {@value #DARK_LUMA} of 255)
 * and the variance of its Laplacian, the usual sharpness measure (a blurred or flat frame has few
 * edges: below {@value #BLURRED_LAPLACIAN}). The sharpest acceptable candidates win, at most one
 * per stretch of the video so the three differ.
 */
public final class ThumbnailFrames {
    static final double DARK_LUMA = 28;
    static final double BLURRED_LAPLACIAN = 30;
    static final int CANDIDATES = 9;
    private static final int MEASURE_WIDTH = 160;
    /**
     * All the ffmpeg runs of one request together: a frame is one seek and one decoded picture
     * (well under a second each), so a file that keeps ffmpeg busy this long is refused rather
     * than holding a web request for the transcoder's 12 hours.
     */
    public static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final Ffmpeg ffmpeg;

    public ThumbnailFrames(Ffmpeg ffmpeg) {
        this.ffmpeg = ffmpeg.timeout().compareTo(TIMEOUT) > 0 ? ffmpeg.withTimeout(TIMEOUT) : ffmpeg;
    }

    /** How long one run may take (at most {@link #TIMEOUT}). */
    public Duration timeout() {
        return ffmpeg.timeout();
    }

    /** A measured candidate frame; {@code jpeg} is the frame at up to 720 px high. */
    public record Frame(double at, double lumaMean, double laplacianVariance, Path jpeg) {
        public boolean dark() { return lumaMean < DARK_LUMA; }

        public boolean blurred() { return laplacianVariance < BLURRED_LAPLACIAN; }
    }

    /** The frame at {@code at} seconds (clamped into the video) as a JPEG in {@code workDir}. */
    public Frame frameAt(Path source, MediaInfo info, double at, Path workDir) {
        return frameAt(ffmpeg, source, info, at, workDir);
    }

    private static Frame frameAt(Ffmpeg ffmpeg, Path source, MediaInfo info, double at, Path workDir) {
        double t = Math.max(0, Math.min(at, Math.max(0, info.durationSeconds() - 0.05)));
        Path out = workDir.resolve(String.format(Locale.ROOT, "frame-%.3f.jpg", t));
        List<String> args = new ArrayList<>(List.of("-v", "error", "-y", "-ss", String.format(Locale.ROOT, "%.3f", t)));
        args.addAll(UntrustedInput.arguments(info));
        args.addAll(List.of("-frames:v", "1", "-vf", "scale=-2:'min(720,ih)':flags=lanczos,setsar=1", "-q:v", "2",
                "-update", "1", out.toAbsolutePath().toString()));
        ffmpeg.runFfmpeg(args, source);
        if (!Files.isRegularFile(out)) {
            throw new IllegalStateException("ffmpeg wrote no frame at " + t + " s");
        }
        return measure(t, out);
    }

    /** Up to {@code count} suggested frames, sharpest first, never a dark or blurred one when another exists. */
    public List<Frame> suggest(Path source, MediaInfo info, int count, Path workDir) {
        List<Frame> frames = new ArrayList<>();
        double d = info.durationSeconds();
        // The candidates share one timeout, as one request: not nine of them in a row.
        Ffmpeg runs = ffmpeg.withDeadline(Instant.now().plus(ffmpeg.timeout()));
        for (int i = 0; i < CANDIDATES; i++) {
            frames.add(frameAt(runs, source, info, d * (0.05 + 0.9 * i / (CANDIDATES - 1)), workDir));
        }
        return choose(frames, count);
    }

    static List<Frame> choose(List<Frame> frames, int count) {
        List<Frame> ranked = frames.stream()
                .sorted(Comparator.comparing((Frame f) -> f.dark() || f.blurred()).thenComparing(Frame::laplacianVariance, Comparator.reverseOrder()))
                .toList();
        List<Frame> good = ranked.stream().filter(f -> !f.dark() && !f.blurred()).toList();
        List<Frame> chosen = new ArrayList<>(good.stream().limit(count).toList());
        // Too few good frames: the least bad fill in (a video that is all black still gets a thumbnail).
        for (Frame f : ranked) {
            if (chosen.size() >= count) break;
            if (!chosen.contains(f)) chosen.add(f);
        }
        chosen.sort(Comparator.comparingDouble(Frame::at));
        return chosen;
    }

    static Frame measure(double at, Path jpeg) {
        BufferedImage image;
        try {
            image = ImageIO.read(jpeg.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int w = MEASURE_WIDTH;
        int h = Math.max(2, Math.round((float) image.getHeight() * w / image.getWidth()));
        double[][] y = new double[h][w];
        double sum = 0;
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                int rgb = image.getRGB(c * image.getWidth() / w, r * image.getHeight() / h);
                double luma = 0.299 * (rgb >> 16 & 0xff) + 0.587 * (rgb >> 8 & 0xff) + 0.114 * (rgb & 0xff);
                y[r][c] = luma;
                sum += luma;
            }
        }
        return new Frame(at, sum / (w * h), laplacianVariance(y), jpeg);
    }

    /** Variance of the 4-neighbour Laplacian over the interior pixels. */
    static double laplacianVariance(double[][] y) {
        int h = y.length;
        int w = y[0].length;
        double sum = 0;
        double sumSq = 0;
        int n = 0;
        for (int r = 1; r < h - 1; r++) {
            for (int c = 1; c < w - 1; c++) {
                double l = 4 * y[r][c] - y[r - 1][c] - y[r + 1][c] - y[r][c - 1] - y[r][c + 1];
                sum += l;
                sumSq += l * l;
                n++;
            }
        }
        if (n == 0) return 0;
        double mean = sum / n;
        return sumSq / n - mean * mean;
    }
}
