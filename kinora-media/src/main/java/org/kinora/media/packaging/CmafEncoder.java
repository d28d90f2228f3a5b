package org.kinora.media.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.DoubleConsumer;

import org.kinora.core.blob.BlobKeys;
import org.kinora.media.ffmpeg.Ffmpeg;
import org.kinora.media.ffmpeg.MediaInfo;
import org.kinora.media.ffmpeg.UntrustedInput;
import org.kinora.media.ladder.Av1Ladder;
import org.kinora.media.ladder.Rung;

/**
 * Encodes every rung (and optionally one audio rendition) in a single ffmpeg run that decodes the
 * source once, writing fragmented-MP4 HLS renditions:
 * {@code <outDir>/<name>/init.mp4, seg_00001.m4s..., index.m3u8}. The same segment files serve
 * DASH (see {@link DashManifest}).
 *
 * <p>Keyframes are forced at exact multiples of {@value #SEGMENT_SECONDS} s with scene-cut
 * keyframes disabled, so every rendition's segments start at the same instants and players can
 * switch between them at any segment boundary.
 */
public final class CmafEncoder {
    public static final int SEGMENT_SECONDS = 4;
    public static final String DEFAULT_PRESET = "veryfast";
    static final String PLAYLIST = BlobKeys.RUNG_PLAYLIST;
    static final String INIT = BlobKeys.INIT_SEGMENT;
    static final String SEGMENT_PATTERN = BlobKeys.SEGMENT_PATTERN;

    private final Ffmpeg ffmpeg;
    private final String x264Preset;
    private final int av1Preset;
    /** x264 threads per rung; 0 lets x264 choose (one per core and more). */
    private final int x264Threads;

    public CmafEncoder(Ffmpeg ffmpeg) {
        this(ffmpeg, DEFAULT_PRESET);
    }

    /** @param x264Preset e.g. "ultrafast" for tests or "slow" for better compression */
    public CmafEncoder(Ffmpeg ffmpeg, String x264Preset) {
        this(ffmpeg, x264Preset, 0, Av1Ladder.DEFAULT_PRESET);
    }

    /**
     * @param x264Threads threads of each rung's x264 (0: x264's own choice); 1 makes a worker use about one core
     * @param av1Preset the SVT-AV1 preset of AV1 rungs ({@link Rung#isAv1()}), see {@link Av1Ladder}
     */
    public CmafEncoder(Ffmpeg ffmpeg, String x264Preset, int x264Threads, int av1Preset) {
        if (x264Threads < 0) throw new IllegalArgumentException("x264 threads must be 0 (automatic) or more, not " + x264Threads);
        this.ffmpeg = ffmpeg;
        this.x264Preset = x264Preset;
        this.x264Threads = x264Threads;
        this.av1Preset = av1Preset;
    }

    /**
     * Encodes the rungs for one span of the source only, {@code [startSeconds, startSeconds +
     * lengthSeconds)} (to the end when {@code lengthSeconds} is empty): one chunk of a video
     * transcoded in parallel. {@code startSeconds} must be a segment boundary; the segments are
     * numbered as in the whole rendition ({@code seg_<firstSegment>.m4s} first), so chunks'
     * segments never collide. An exact input seek keeps exactly the frames whose time is in the
     * span, so consecutive spans together hold every frame once. The segments' timestamps start
     * at 0, as every encode's do; {@link Fmp4Boxes#shiftDecodeTime} moves them to the span's
     * place on the rendition's timeline.
     */
    public CmafOutput encodeSpan(Path source, MediaInfo info, List<Rung> rungs, Path outDir, DoubleConsumer progress,
                                 int startSeconds, java.util.OptionalDouble lengthSeconds, int firstSegment) {
        if (rungs.isEmpty()) throw new IllegalArgumentException("No rungs to encode");
        if (startSeconds % SEGMENT_SECONDS != 0) {
            throw new IllegalArgumentException("A span starts on a segment boundary (a multiple of " + SEGMENT_SECONDS + " s), not at " + startSeconds);
        }
        List<String> args = new ArrayList<>(arguments(info, rungs, false, outDir, Extras.NONE));
        int input = args.indexOf("-i");
        List<String> seek = new ArrayList<>(List.of("-ss", Integer.toString(startSeconds)));
        lengthSeconds.ifPresent(l -> seek.addAll(List.of("-t", String.format(Locale.ROOT, "%.6f", l))));
        args.addAll(input, seek);
        for (int i = 0; i < args.size() - 1; i++) {
            if (args.get(i).equals("-start_number")) args.set(i + 1, Integer.toString(firstSegment));
        }
        double expected = lengthSeconds.orElse(info.durationSeconds() - startSeconds);
        ffmpeg.runFfmpeg(args, source, expected, progress);
        return measure(info, rungs, false, outDir);
    }

    /**
     * @param rungs the video renditions to write, e.g. from {@code LadderPlanner}
     * @param includeAudio write {@code <outDir>/audio/}; the source must have audio
     * @param progress receives 0..1 as the encode advances (from a reader thread)
     * @throws org.kinora.media.ffmpeg.FfmpegException if ffmpeg fails
     */
    public CmafOutput encode(Path source, MediaInfo info, List<Rung> rungs, boolean includeAudio, Path outDir,
                             DoubleConsumer progress) {
        return encode(source, info, rungs, includeAudio, outDir, progress, Extras.NONE);
    }

    /**
     * What a pass writes besides the renditions, from the same decode (so the poster and the
     * storyboard cost no second read of the source), and whether its playlists grow while it runs.
     *
     * @param growing write EVENT playlists that ffmpeg rewrites after every segment, so the segments
     *                can be published while the pass runs (see {@link GrowingPlaylist})
     * @param poster write the poster JPEG here (see {@link Thumbnails#poster})
     * @param storyboard write the storyboard sheets and VTT into this folder (see {@link Thumbnails#storyboard})
     */
    public record Extras(boolean growing, Optional<Path> poster, Optional<Path> storyboard) {
        public static final Extras NONE = new Extras(false, Optional.empty(), Optional.empty());
    }

    /**
     * As {@link #encode(Path, MediaInfo, List, boolean, Path, DoubleConsumer)}, with the poster
     * and the storyboard folded into the same decode when {@code extras} asks for them.
     */
    public CmafOutput encode(Path source, MediaInfo info, List<Rung> rungs, boolean includeAudio, Path outDir,
                             DoubleConsumer progress, Extras extras) {
        if (rungs.isEmpty()) {
            throw new IllegalArgumentException("No rungs to encode");
        }
        if (includeAudio && !info.hasAudio()) {
            throw new IllegalArgumentException("Audio was requested but " + source + " has no audio stream");
        }
        ffmpeg.runFfmpeg(arguments(info, rungs, includeAudio, outDir, extras), source, info.durationSeconds(), progress);
        extras.storyboard().ifPresent(dir -> Thumbnails.finishStoryboard(info, dir));
        return measure(info, rungs, includeAudio, outDir);
    }

    /**
     * The first pass of a source whose video stream players can take as it is
     * ({@code org.kinora.media.pipeline.SourceCopy}): that stream copied, not re-encoded, into the
     * rendition {@code <outDir>/<rendition>/} (its segments are cut at the source's own keyframes,
     * which the caller checked fall on every segment boundary), the audio encoded once as every
     * pass does, and the poster from the one decoded frame it needs: the poster's branch ends after
     * that frame, and ffmpeg then stops decoding, so the pass costs a read of the file and the
     * audio encode. Growing EVENT playlists, as the lowest rung's pass writes them.
     */
    public CmafOutput copySource(Path source, MediaInfo info, String rendition, Path outDir, DoubleConsumer progress, Path poster) {
        return copySource(source, info, rendition, outDir, progress, poster, Optional.empty(), false);
    }

    /**
     * As {@link #copySource(Path, MediaInfo, String, Path, DoubleConsumer, Path)}, with the
     * storyboard too when {@code storyboard} is given (a chunked video, whose chunks decode only
     * their spans): then only the source's keyframes are decoded ({@code -skip_frame nokey}, which
     * the copied stream does not see), about one frame in 30-60, so each tile shows the keyframe
     * at or before its time (at most a GOP early, which the copy route bounds to 4 s) and the pass
     * still costs far less than one decode. The poster then is a keyframe too. With
     * {@code copyAudio} the source's audio stream is copied as well (it must be AAC-LC 48 kHz
     * stereo, what the manifests declare); else it is encoded at 128 kb/s.
     */
    public CmafOutput copySource(Path source, MediaInfo info, String rendition, Path outDir, DoubleConsumer progress, Path poster,
                                 Optional<Path> storyboard, boolean copyAudio) {
        List<String> args = new ArrayList<>(List.of("-v", "error", "-y"));
        List<String> input = new ArrayList<>(UntrustedInput.arguments(info));
        if (storyboard.isPresent()) input.addAll(input.indexOf("-i"), List.of("-skip_frame", "nokey"));
        args.addAll(input);
        args.addAll(List.of("-filter_complex", storyboard.isPresent()
                ? "[0:v:0]split=2[p][b];[p]" + Thumbnails.posterFilterFromKeyframes(info) + "[poster];[b]" + Thumbnails.storyboardFilterFromKeyframes(info) + "[board]"
                : "[0:v:0]" + Thumbnails.posterFilter(info) + "[poster]"));
        args.addAll(List.of("-map", "0:v:0", "-an", "-c:v", "copy"));
        args.addAll(hls(directory(outDir, rendition), true));
        args.addAll(storyboard.isPresent() ? Thumbnails.latestPosterOutput("[poster]", poster) : Thumbnails.posterOutput("[poster]", poster));
        storyboard.ifPresent(dir -> args.addAll(Thumbnails.storyboardOutput(info, "[board]", dir)));
        if (info.hasAudio()) {
            // Copied too when the caller found it is what Kinora would have written (SourceCopy.decideAudio).
            args.addAll(copyAudio ? List.of("-map", "0:a:0", "-vn", "-c:a", "copy")
                    : List.of("-map", "0:a:0", "-vn", "-c:a", "aac", "-profile:a", "aac_low", "-b:a", "128k", "-ac", "2", "-ar", "48000"));
            args.addAll(hls(directory(outDir, "audio"), true));
        }
        ffmpeg.runFfmpeg(args, source, info.durationSeconds(), progress);
        storyboard.ifPresent(dir -> Thumbnails.finishStoryboard(info, dir));
        Path dir = outDir.resolve(rendition);
        SegmentBitrates.annotate(dir, PLAYLIST);
        MediaPlaylist playlist = readPlaylist(dir, PLAYLIST);
        IFramePlaylist.write(dir, playlist);
        Rung rung = copiedRung(info, rendition, dir, playlist);
        List<VideoRendition> video = List.of(new VideoRendition(rung, info.frameRate(), playlist, timescale(dir, playlist),
                Optional.of(readPlaylist(dir, IFramePlaylist.FILE))));
        CmafOutput withoutVideo = measure(info, List.of(), info.hasAudio(), outDir);
        return new CmafOutput(outDir, video, withoutVideo.audio());
    }

    /**
     * The copied stream described as a rung: the display size, the measured average and peak
     * rates (of the segments listed so far), and the level and codecs string from its own avcC.
     */
    public static Rung copiedRung(MediaInfo info, String rendition, Path dir, MediaPlaylist playlist) {
        byte[] init;
        try {
            init = Files.readAllBytes(dir.resolve(playlist.initUri() == null ? INIT : playlist.initUri()));
        } catch (IOException e) {
            throw new UncheckedIOException("The copied stream's init segment in " + dir + " cannot be read", e);
        }
        String codecs = Fmp4Boxes.avcCodecs(init);
        int levelIdc = Integer.parseInt(codecs.substring(codecs.length() - 2), 16);
        long peak = playlist.peakBitsPerSecond().orElse(0);
        long average = playlist.averageBitsPerSecond().orElse(peak);
        return new Rung(rendition, info.width(), info.height(), (int) Math.max(1, average / 1000), (int) Math.max(1, peak / 1000),
                String.format(Locale.ROOT, "%d.%d", levelIdc / 10, levelIdc % 10), codecs);
    }

    private CmafOutput measure(MediaInfo info, List<Rung> rungs, boolean includeAudio, Path outDir) {
        // Measured here, while the segments are local: each playlist records its segments' bit
        // rates, and each video rung gets its I-frame playlist beside it.
        List<VideoRendition> video = new ArrayList<>();
        for (Rung rung : rungs) {
            Path dir = outDir.resolve(rung.name());
            SegmentBitrates.annotate(dir, PLAYLIST);
            MediaPlaylist playlist = readPlaylist(dir, PLAYLIST);
            IFramePlaylist.write(dir, playlist);
            video.add(new VideoRendition(rung, info.frameRate(), playlist, timescale(dir, playlist),
                    Optional.of(readPlaylist(dir, IFramePlaylist.FILE))));
        }
        Optional<AudioRendition> audio = Optional.empty();
        if (includeAudio) {
            Path dir = outDir.resolve("audio");
            SegmentBitrates.annotate(dir, PLAYLIST);
            MediaPlaylist playlist = readPlaylist(dir, PLAYLIST);
            audio = Optional.of(AudioRendition.aacStereo(playlist,
                    AudioLanguage.fromSourceTag(info.audioLanguage()).orElse("und"), timescale(dir, playlist)));
        }
        return new CmafOutput(outDir, video, audio);
    }

    List<String> arguments(MediaInfo info, List<Rung> rungs, boolean includeAudio, Path outDir) {
        return arguments(info, rungs, includeAudio, outDir, Extras.NONE);
    }

    /** The arguments for a run whose stdin is the source (see {@link UntrustedInput}). */
    List<String> arguments(MediaInfo info, List<Rung> rungs, boolean includeAudio, Path outDir, Extras extras) {
        List<String> args = new ArrayList<>(List.of("-v", "error", "-y"));
        args.addAll(UntrustedInput.arguments(info));
        List<String> branches = new ArrayList<>();
        List<List<String>> imageOutputs = new ArrayList<>();
        extras.poster().ifPresent(jpg -> {
            branches.add(Thumbnails.posterFilter(info) + "[poster]");
            imageOutputs.add(Thumbnails.posterOutput("[poster]", jpg));
        });
        extras.storyboard().ifPresent(dir -> {
            branches.add(Thumbnails.storyboardFilter(info) + "[board]");
            imageOutputs.add(Thumbnails.storyboardOutput(info, "[board]", dir));
        });
        args.add("-filter_complex");
        args.add(filterGraph(rungs, branches));
        // A GOP never longer than a segment; the forced keyframes below make the boundaries exact.
        String gop = Integer.toString((int) Math.ceil(SEGMENT_SECONDS * info.frameRate()));
        for (int i = 0; i < rungs.size(); i++) {
            Rung rung = rungs.get(i);
            if (rung.isAv1()) {
                args.addAll(List.of("-map", "[v" + i + "]", "-an"));
                args.addAll(Av1Encoding.arguments(rung, gop, av1Preset));
                args.addAll(hls(directory(outDir, rung.name()), extras.growing()));
                continue;
            }
            args.addAll(List.of(
                    "-map", "[v" + i + "]", "-an",
                    "-c:v", "libx264", "-threads", Integer.toString(x264Threads),
                    "-preset", x264Preset, "-profile:v", "high", "-level:v", rung.h264Level(),
                    "-pix_fmt", "yuv420p",
                    "-b:v", rung.videoBitrateKbps() + "k", "-maxrate", rung.maxBitrateKbps() + "k",
                    "-bufsize", rung.bufferSizeKbits() + "k",
                    "-g", gop, "-force_key_frames", "expr:gte(t,n_forced*" + SEGMENT_SECONDS + ")", "-sc_threshold", "0"));
            args.addAll(hls(directory(outDir, rung.name()), extras.growing()));
        }
        imageOutputs.forEach(args::addAll);
        if (includeAudio) {
            args.addAll(List.of("-map", "0:a:0", "-vn", "-c:a", "aac", "-profile:a", "aac_low", "-b:a", "128k",
                    "-ac", "2", "-ar", "48000"));
            args.addAll(hls(directory(outDir, "audio"), extras.growing()));
        }
        return args;
    }

    /** One decode, split into one scaled branch per rung: {@code [v0]}, {@code [v1]}, ... */
    static String filterGraph(List<Rung> rungs) {
        return filterGraph(rungs, List.of());
    }

    /**
     * One decode, split into one scaled branch per rung ({@code [v0]}, {@code [v1]}, ...) and one
     * per extra branch, each given as the filter chain that follows its split pad (e.g. the
     * poster's {@code trim,...,scale[poster]}).
     */
    static String filterGraph(List<Rung> rungs, List<String> extraBranches) {
        int outputs = rungs.size() + extraBranches.size();
        StringBuilder graph = new StringBuilder("[0:v:0]split=").append(outputs);
        for (int i = 0; i < outputs; i++) {
            graph.append("[s").append(i).append(']');
        }
        for (int i = 0; i < rungs.size(); i++) {
            Rung rung = rungs.get(i);
            graph.append(String.format(Locale.ROOT, ";[s%d]scale=%d:%d,setsar=1[v%d]", i, rung.width(), rung.height(), i));
        }
        for (int i = 0; i < extraBranches.size(); i++) {
            graph.append(";[s").append(rungs.size() + i).append(']').append(extraBranches.get(i));
        }
        return graph.toString();
    }

    private static List<String> hls(Path dir, boolean growing) {
        // The init file lands next to the playlist, and the playlist refers to it and to the
        // segments by bare file name, so each rendition folder is self-contained. A growing pass
        // writes an EVENT playlist, rewritten after every segment (segments only ever appended,
        // ENDLIST at the end), and each segment under a temporary name until it is complete, so
        // anything the playlist lists is whole.
        List<String> args = new ArrayList<>(List.of("-f", "hls", "-hls_time", Integer.toString(SEGMENT_SECONDS),
                "-hls_playlist_type", growing ? "event" : "vod"));
        if (growing) args.addAll(List.of("-hls_flags", "temp_file"));
        args.addAll(List.of("-hls_segment_type", "fmp4", "-hls_fmp4_init_filename", INIT,
                "-hls_segment_filename", dir.resolve(SEGMENT_PATTERN).toString(), "-start_number", "1",
                dir.resolve(PLAYLIST).toString()));
        return args;
    }

    private static Path directory(Path outDir, String name) {
        Path dir = outDir.toAbsolutePath().resolve(name);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the rendition folder " + dir, e);
        }
        return dir;
    }

    private static long timescale(Path dir, MediaPlaylist playlist) {
        Path init = dir.resolve(playlist.initUri() == null ? INIT : playlist.initUri());
        try {
            return Fmp4Boxes.timescale(Files.readAllBytes(init));
        } catch (IOException e) {
            throw new UncheckedIOException("ffmpeg finished but " + init + " cannot be read", e);
        }
    }

    private static MediaPlaylist readPlaylist(Path dir, String name) {
        Path playlist = dir.resolve(name);
        try {
            return MediaPlaylist.parse(Files.readString(playlist));
        } catch (IOException e) {
            throw new UncheckedIOException("ffmpeg finished but " + playlist + " cannot be read", e);
        }
    }
}
