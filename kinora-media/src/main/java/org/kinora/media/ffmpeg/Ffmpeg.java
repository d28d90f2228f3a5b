package org.kinora.media.ffmpeg;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.DoubleConsumer;

/**
 * Where ffmpeg and ffprobe live and how to run them.
 *
 * <p>{@link #bundled(Path)} uses the executables shipped in the bytedeco natives jar, so Kinora
 * needs no system ffmpeg; {@link #system(Path, Path)} uses a configured installation. Runs are
 * synchronous; interrupting the calling thread kills the process.
 *
 * <p>Runs that read an uploaded file take it as {@code stdin} and open it with
 * {@link UntrustedInput}'s arguments, never by path.
 */
public final class Ffmpeg {
    /** Long enough for a feature-length transcode on a slow machine; use {@link #withTimeout} to change. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(12);

    private final Path ffmpeg;
    private final Path ffprobe;
    private final Path libraryDir;
    private final Duration timeout;
    /** When set, no run may outlive it: a job's time budget shared by all its runs. */
    private final Instant deadline;

    private Ffmpeg(Path ffmpeg, Path ffprobe, Path libraryDir, Duration timeout, Instant deadline) {
        this.ffmpeg = ffmpeg;
        this.ffprobe = ffprobe;
        this.libraryDir = libraryDir;
        this.timeout = timeout;
        this.deadline = deadline;
    }

    /**
     * Installs (once) the bundled ffmpeg into {@code toolsDir/ffmpeg-<version>/} and returns it.
     * Safe to call concurrently from several threads or JVMs sharing the folder.
     */
    public static Ffmpeg bundled(Path toolsDir) {
        Path dir = BundledInstaller.install(toolsDir.toAbsolutePath());
        return new Ffmpeg(dir.resolve("ffmpeg"), dir.resolve("ffprobe"), dir, DEFAULT_TIMEOUT, null);
    }

    /** A system installation; processes run with the unchanged environment. */
    public static Ffmpeg system(Path ffmpegExe, Path ffprobeExe) {
        for (Path exe : List.of(ffmpegExe, ffprobeExe)) {
            if (!Files.isExecutable(exe)) {
                throw new FfmpegException(exe + " is not an executable file. Fix the configured ffmpeg/ffprobe path, "
                        + "or use the bundled ffmpeg.", "");
            }
        }
        return new Ffmpeg(ffmpegExe, ffprobeExe, null, DEFAULT_TIMEOUT, null);
    }

    /** A copy whose runs are killed after {@code timeout}. */
    public Ffmpeg withTimeout(Duration timeout) {
        return new Ffmpeg(ffmpeg, ffprobe, libraryDir, Objects.requireNonNull(timeout), deadline);
    }

    /**
     * A copy whose runs are killed at {@code deadline} (or after the timeout, whichever comes
     * first); a run started after it fails at once with {@link FfmpegTimeoutException}.
     */
    public Ffmpeg withDeadline(Instant deadline) {
        return new Ffmpeg(ffmpeg, ffprobe, libraryDir, timeout, Objects.requireNonNull(deadline));
    }

    public Path ffmpegExecutable() {
        return ffmpeg;
    }

    public Path ffprobeExecutable() {
        return ffprobe;
    }

    /** The folder holding the bundled shared libraries, or null for a system installation. */
    public Path libraryDir() {
        return libraryDir;
    }

    public Duration timeout() {
        return timeout;
    }

    /** A builder for {@code ffmpeg <args>} with the environment the executable needs. */
    public ProcessBuilder processBuilder(List<String> ffmpegArgs) {
        return builder(ffmpeg, ffmpegArgs);
    }

    /** A builder for {@code ffprobe <args>} with the environment the executable needs. */
    public ProcessBuilder ffprobeProcessBuilder(List<String> ffprobeArgs) {
        return builder(ffprobe, ffprobeArgs);
    }

    /**
     * Runs ffmpeg with {@code -hide_banner -nostdin} prepended and waits for it.
     *
     * @throws FfmpegException on a non-zero exit (message includes the end of stderr), timeout or interrupt
     */
    public void runFfmpeg(List<String> args) {
        runFfmpeg(args, null);
    }

    /** Like {@link #runFfmpeg(List)} with stdin read from {@code stdin} (null: nothing). */
    public void runFfmpeg(List<String> args, Path stdin) {
        ProcessRunner.run(builder(ffmpeg, ProcessRunner.withPrefix(List.of("-hide_banner", "-nostdin"), args), stdin),
                runTimeout(), line -> { });
    }

    /** Like {@link #runFfmpeg(List, Path, double, DoubleConsumer)} with nothing on stdin. */
    public void runFfmpeg(List<String> args, double expectedDurationSeconds, DoubleConsumer progress) {
        runFfmpeg(args, null, expectedDurationSeconds, progress);
    }

    /**
     * Like {@link #runFfmpeg(List, Path)}, reporting progress as a fraction (0..1) of
     * {@code expectedDurationSeconds} of output written. The listener is called from a reader
     * thread, with non-decreasing values, and with 1.0 when ffmpeg reports the end.
     */
    public void runFfmpeg(List<String> args, Path stdin, double expectedDurationSeconds, DoubleConsumer progress) {
        ProgressParser parser = new ProgressParser(expectedDurationSeconds, progress);
        List<String> prefix = List.of("-hide_banner", "-nostdin", "-progress", "pipe:1", "-nostats");
        ProcessRunner.run(builder(ffmpeg, ProcessRunner.withPrefix(prefix, args), stdin), runTimeout(), parser::line);
    }

    /** Runs ffprobe with {@code -hide_banner} prepended and returns its stdout. */
    public String runFfprobe(List<String> args) {
        return runFfprobe(args, null);
    }

    /** Like {@link #runFfprobe(List)} with stdin read from {@code stdin} (null: nothing). */
    public String runFfprobe(List<String> args, Path stdin) {
        StringBuilder out = new StringBuilder();
        ProcessRunner.run(builder(ffprobe, ProcessRunner.withPrefix(List.of("-hide_banner"), args), stdin),
                runTimeout(), line -> out.append(line).append('\n'));
        return out.toString();
    }

    /** The timeout, shortened to what is left until the deadline. */
    private Duration runTimeout() {
        if (deadline == null) return timeout;
        Duration left = Duration.between(Instant.now(), deadline);
        if (left.isNegative() || left.isZero()) {
            throw new FfmpegTimeoutException("The time budget ended at " + deadline + "; ffmpeg was not started.", "");
        }
        return left.compareTo(timeout) < 0 ? left : timeout;
    }

    private ProcessBuilder builder(Path exe, List<String> args) {
        return builder(exe, args, null);
    }

    private ProcessBuilder builder(Path exe, List<String> args, Path stdin) {
        List<String> command = new ArrayList<>(args.size() + 1);
        command.add(exe.toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        // stdin is the uploaded file itself (read as fd:, seekable) or nothing at all.
        builder.redirectInput(ProcessBuilder.Redirect.from(stdin == null ? new File("/dev/null") : stdin.toFile()));
        if (libraryDir != null) {
            Map<String, String> env = builder.environment();
            String existing = env.get("LD_LIBRARY_PATH");
            env.put("LD_LIBRARY_PATH", existing == null || existing.isEmpty()
                    ? libraryDir.toString()
                    : libraryDir + File.pathSeparator + existing);
            // The bundled libavdevice relies on lazy binding for the device libraries it no longer links.
            env.remove("LD_BIND_NOW");
        }
        return builder;
    }

    @Override
    public String toString() {
        return "Ffmpeg[" + ffmpeg + (libraryDir != null ? ", bundled" : ", system") + "]";
    }
}
