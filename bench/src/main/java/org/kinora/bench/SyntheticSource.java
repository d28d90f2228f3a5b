package org.kinora.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

import org.kinora.media.ffmpeg.Ffmpeg;

/**
 * A 1080p30 H.264 + AAC "upload" made from an ffmpeg lavfi generator, encoded the way a phone
 * or camera would deliver it (High profile, ~16 Mb/s, 2 s GOP, 48 kHz stereo AAC).
 *
 * <p>The picture matters: how fast x264 encodes the ladder depends on how hard the source is to
 * predict. {@code testsrc2} is flat graphics with a small moving area, so motion search ends
 * early and rate control undershoots every target: it makes any pipeline look fast. The default,
 * {@link Kind#MANDELBROT}, is a continuous zoom in which every pixel moves every frame and which
 * has fine detail at every scale, which is closer to hand-held camera footage; it was the most
 * expensive of the three to encode at the ladder's bitrates (see README).
 */
public enum SyntheticSource {
    /** The ffmpeg test pattern: cheap to generate, unrealistically cheap to encode. */
    TESTSRC2("testsrc2", "testsrc2=size=1920x1080:rate=30"),
    /** The test pattern plus per-frame luma/chroma grain, like sensor noise in low light. */
    NOISY("noisy", "testsrc2=size=1920x1080:rate=30,noise=alls=12:allf=t+u"),
    /** A zoom into the Mandelbrot set: whole-frame motion and detail. Slow to generate (cached). */
    MANDELBROT("mandelbrot", "mandelbrot=size=1920x1080:rate=30");

    private final String id;
    private final String lavfiVideo;

    SyntheticSource(String id, String lavfiVideo) {
        this.id = id;
        this.lavfiVideo = lavfiVideo;
    }

    public String id() {
        return id;
    }

    public static SyntheticSource parse(String id) {
        for (SyntheticSource s : values()) {
            if (s.id.equals(id)) return s;
        }
        throw new IllegalArgumentException("Unknown source '" + id + "'; use testsrc2, noisy or mandelbrot");
    }

    /**
     * Returns {@code <dir>/<id>-<seconds>s-1080p30.mp4}, generating it first if it is not there
     * yet. Generation is not part of any measurement, so the file is kept for later runs.
     */
    public Path generate(Ffmpeg ffmpeg, int seconds, Path dir) throws IOException {
        Path target = dir.resolve(String.format(Locale.ROOT, "%s-%ds-1080p30.mp4", id, seconds));
        if (Files.isRegularFile(target)) return target;
        Files.createDirectories(dir);
        // Written under a temporary name and renamed, so an interrupted run leaves no half file behind.
        Path partial = dir.resolve(target.getFileName() + ".partial.mp4");
        Bench.log("generating %s (%d s of %s, not timed)...", target.getFileName(), seconds, id);
        ffmpeg.runFfmpeg(List.of("-v", "error", "-y",
                "-f", "lavfi", "-i", lavfiVideo,
                "-f", "lavfi", "-i", "sine=frequency=440:beep_factor=4:sample_rate=48000",
                "-t", Integer.toString(seconds),
                "-map", "0:v", "-map", "1:a",
                "-c:v", "libx264", "-preset", "superfast", "-profile:v", "high", "-pix_fmt", "yuv420p",
                "-b:v", "16M", "-maxrate", "20M", "-bufsize", "32M", "-g", "60",
                "-c:a", "aac", "-b:a", "128k", "-ac", "2", "-ar", "48000",
                "-movflags", "+faststart",
                partial.toAbsolutePath().toString()));
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }
}
