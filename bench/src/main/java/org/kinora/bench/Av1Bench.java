package org.kinora.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.kinora.media.ffmpeg.Ffmpeg;
import org.kinora.media.ffmpeg.MediaInfo;
import org.kinora.media.ffmpeg.MediaProbe;
import org.kinora.media.ladder.Av1Ladder;
import org.kinora.media.ladder.LadderPlanner;
import org.kinora.media.ladder.Rung;
import org.kinora.media.packaging.CmafEncoder;
import org.kinora.media.packaging.CmafOutput;
import org.kinora.media.packaging.VideoRendition;

/**
 * What {@code transcode.av1 = on} costs: the ladder job's pass (every rung after the first) as
 * Kinora runs it, without and with the AV1 twins of all rungs in the same decode, alternating
 * the order; wall and ffmpeg CPU, and the bytes each codec wrote (AV1 at capped CRF, H.264 at its
 * target rate: a size comparison, not a quality-matched one).
 */
final class Av1Bench {
    record Settings(int seconds, int repeats, SyntheticSource source, String preset, int av1Preset) {}

    private final Settings settings;
    private final Path work;

    Av1Bench(Settings settings, Path work) {
        this.settings = settings;
        this.work = work;
    }

    String run() throws IOException {
        Ffmpeg ffmpeg = Ffmpeg.bundled(work.resolve("tools"));
        Path source = settings.source().generate(ffmpeg, settings.seconds(), work.resolve("sources"));
        MediaInfo info = new MediaProbe(ffmpeg).probe(source);
        List<Rung> h264 = new LadderPlanner().plan(info);
        List<Rung> rest = h264.subList(1, h264.size());
        List<Rung> av1 = new Av1Ladder(true, Set.of(), settings.av1Preset()).plan(h264, info.frameRate());
        List<Rung> both = Stream.concat(rest.stream(), av1.stream()).toList();
        CmafEncoder encoder = new CmafEncoder(ffmpeg, settings.preset(), 0, settings.av1Preset());
        Bench.log("av1 bench: %s, %d s, H.264 %s, AV1 %s, x264 %s, SVT-AV1 preset %d", source.getFileName(),
                Math.round(info.durationSeconds()), rest.stream().map(Rung::name).toList(), av1.stream().map(Rung::name).toList(),
                settings.preset(), settings.av1Preset());
        OtherCpu others = OtherCpu.start();
        List<Timed> without = new ArrayList<>();
        List<Timed> with = new ArrayList<>();
        // Sizes from the first run with AV1: its H.264 rungs, and the AV1 twins of those same rungs.
        long h264Bytes = 0;
        long av1Bytes = 0;
        for (int i = 0; i < settings.repeats(); i++) {
            for (int step = 0; step < 2; step++) {
                boolean withAv1 = (step == 0) == (i % 2 == 1);
                Path out = work.resolve("av1/run-" + i + (withAv1 ? "-with" : "-without"));
                LadderBench.deleteTree(out);
                CmafOutput[] result = new CmafOutput[1];
                OtherCpu othersThisRun = OtherCpu.start();
                Timed t = Timed.of(() -> result[0] = encoder.encode(source, info, withAv1 ? both : rest, false, out, p -> { }));
                (withAv1 ? with : without).add(t);
                if (withAv1 && h264Bytes == 0) {
                    for (VideoRendition v : result[0].video()) {
                        String base = v.name().replace(Av1Ladder.SUFFIX, "");
                        if (rest.stream().noneMatch(r -> r.name().equals(base))) continue;
                        if (v.rung().isAv1()) av1Bytes += size(out.resolve(v.name()));
                        else h264Bytes += size(out.resolve(v.name()));
                    }
                }
                Bench.log("  run %d %s AV1: %.1f s wall, %.1f s CPU; %s", i + 1, withAv1 ? "with" : "without", t.wall(), t.cpu(),
                        othersThisRun.describe());
                LadderBench.deleteTree(out);
            }
        }
        double wall0 = Stats.median(without.stream().map(Timed::wall).toList());
        double cpu0 = Stats.median(without.stream().map(Timed::cpu).toList());
        double wall1 = Stats.median(with.stream().map(Timed::wall).toList());
        double cpu1 = Stats.median(with.stream().map(Timed::cpu).toList());
        Table t = new Table("ladder pass", "wall, each run (s)", "wall (median)", "vs H.264 only", "ffmpeg CPU (median)", "vs H.264 only");
        t.row("H.264 " + rest.stream().map(Rung::name).toList(), Stats.all(without.stream().map(Timed::wall).toList()),
                Stats.s(wall0), Stats.x(1), Stats.s(cpu0), Stats.x(1));
        t.row("H.264 + AV1 twins of all " + av1.size() + " rungs", Stats.all(with.stream().map(Timed::wall).toList()),
                Stats.s(wall1), Stats.x(wall1 / wall0), Stats.s(cpu1), Stats.x(cpu1 / cpu0));
        return String.format(Locale.ROOT,
                "AV1 rungs benchmark: %s (%.0f s, %dx%d @ %.0f fps), x264 %s, SVT-AV1 preset %d, %d run(s) each, %d cores%n%n%s%n"
                        + "Segment bytes of %s: H.264 %s, AV1 %s (%s).%n"
                        + "Meanwhile %s.%n",
                source.getFileName(), info.durationSeconds(), info.width(), info.height(), info.frameRate(), settings.preset(),
                settings.av1Preset(), settings.repeats(), Runtime.getRuntime().availableProcessors(), t.render(),
                rest.stream().map(Rung::name).toList(), Stats.mb(h264Bytes), Stats.mb(av1Bytes),
                Stats.x(av1Bytes / (double) Math.max(1, h264Bytes)), others.describe());
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            long total = 0;
            for (Path p : walk.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".m4s")).toList()) total += Files.size(p);
            return total;
        }
    }
}
