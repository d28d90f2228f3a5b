package org.kinora.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.kinora.media.ladder.Rung;
import org.kinora.media.packaging.CmafEncoder;

/**
 * The baseline: the single ffmpeg command an operator would write by hand for the same ladder.
 * One decode, {@code split} into one {@code scale} branch per rung, one HLS fMP4 output per rung
 * and one for the audio, which is encoded once.
 *
 * <p>Everything that changes the amount of work is the same as in Kinora's pipeline: rung sizes
 * and bitrates (from {@code LadderPlanner}), the x264 preset, profile and level, VBV settings,
 * the GOP and forced keyframes every {@value CmafEncoder#SEGMENT_SECONDS} s with scene-cut
 * keyframes off, and 4 s fMP4 segments. It is written out here rather than borrowed from
 * {@code CmafEncoder}, so the baseline does not silently follow changes to the pipeline.
 */
final class PlainLadderCommand {
    private PlainLadderCommand() {}

    static List<String> arguments(Path source, double frameRate, List<Rung> rungs, String preset, Path outDir) {
        int segment = CmafEncoder.SEGMENT_SECONDS;
        List<String> args = new ArrayList<>(List.of("-v", "error", "-y", "-i", source.toAbsolutePath().toString()));

        StringBuilder graph = new StringBuilder("[0:v:0]split=").append(rungs.size());
        for (int i = 0; i < rungs.size(); i++) graph.append("[s").append(i).append(']');
        for (int i = 0; i < rungs.size(); i++) {
            Rung r = rungs.get(i);
            graph.append(String.format(Locale.ROOT, ";[s%d]scale=%d:%d,setsar=1[v%d]", i, r.width(), r.height(), i));
        }
        args.addAll(List.of("-filter_complex", graph.toString()));

        String gop = Integer.toString((int) Math.ceil(segment * frameRate));
        for (int i = 0; i < rungs.size(); i++) {
            Rung r = rungs.get(i);
            args.addAll(List.of("-map", "[v" + i + "]", "-an",
                    "-c:v", "libx264", "-preset", preset, "-profile:v", "high", "-level:v", r.h264Level(),
                    "-pix_fmt", "yuv420p",
                    "-b:v", r.videoBitrateKbps() + "k", "-maxrate", r.maxBitrateKbps() + "k",
                    "-bufsize", r.bufferSizeKbits() + "k",
                    "-g", gop, "-force_key_frames", "expr:gte(t,n_forced*" + segment + ")", "-sc_threshold", "0"));
            args.addAll(hls(outDir.resolve(r.name()), segment));
        }
        args.addAll(List.of("-map", "0:a:0", "-vn", "-c:a", "aac", "-b:a", "128k", "-ac", "2", "-ar", "48000"));
        args.addAll(hls(outDir.resolve("audio"), segment));
        return args;
    }

    private static List<String> hls(Path dir, int segment) {
        Path abs = dir.toAbsolutePath();
        return List.of("-f", "hls", "-hls_time", Integer.toString(segment), "-hls_playlist_type", "vod",
                "-hls_segment_type", "fmp4", "-hls_fmp4_init_filename", "init.mp4",
                "-hls_segment_filename", abs.resolve("seg_%05d.m4s").toString(),
                abs.resolve("index.m3u8").toString());
    }
}
