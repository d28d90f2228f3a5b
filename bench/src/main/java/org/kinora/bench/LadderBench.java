package org.kinora.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

import org.kinora.media.ffmpeg.Ffmpeg;
import org.kinora.media.ffmpeg.MediaInfo;
import org.kinora.media.ffmpeg.MediaProbe;
import org.kinora.media.ladder.LadderPlanner;
import org.kinora.media.ladder.Rung;
import org.kinora.media.packaging.CmafEncoder;
import org.kinora.media.packaging.Thumbnails;

/**
 * What publishing early costs: Kinora's two-pass ladder (lowest rung + audio + poster first, as
 * growing playlists, so the video is playable; then every other rung + the storyboard) against one
 * plain ffmpeg command writing the same ladder. The poster and the storyboard are branches of the
 * passes' own decodes (issue 15), so the source is decoded twice in all; this measures what that adds.
 *
 * <p>Both variants run R times, alternating which goes first, so a warming or cooling machine
 * (or another job starting) does not favour one side. Medians are reported.
 */
final class LadderBench {
    record Settings(int seconds, int repeats, SyntheticSource source, String preset) {}

    /** One run of what TranscodeJobHandler does, step by step, in the handler's order. */
    record PipelineRun(Timed firstPass, Timed poster, Timed secondPass, Timed storyboard, Output output) {
        Timed ladder() {
            return firstPass.plus(secondPass);
        }

        Timed total() {
            return ladder().plus(poster).plus(storyboard);
        }
    }

    /** What a variant wrote, to check that both sides did the same job. */
    record Output(long bytes, int segments) {
        Output plus(Output other) {
            return new Output(bytes + other.bytes, segments + other.segments);
        }
    }

    private final Settings settings;
    private final Path work;

    LadderBench(Settings settings, Path work) {
        this.settings = settings;
        this.work = work;
    }

    String run() throws IOException {
        Ffmpeg ffmpeg = Ffmpeg.bundled(work.resolve("tools"));
        Path source = settings.source().generate(ffmpeg, settings.seconds(), work.resolve("sources"));
        MediaInfo info = new MediaProbe(ffmpeg).probe(source);
        List<Rung> ladder = new LadderPlanner().plan(info);
        Bench.log("ladder bench: %s, %d s, rungs %s, preset %s, %d repeat(s)", source.getFileName(),
                Math.round(info.durationSeconds()), ladder.stream().map(Rung::name).toList(), settings.preset(),
                settings.repeats());

        OtherCpu others = OtherCpu.start();
        List<PipelineRun> pipeline = new ArrayList<>();
        List<Timed> plain = new ArrayList<>();
        Output plainOutput = null;
        for (int i = 0; i < settings.repeats(); i++) {
            // Alternate the order so neither variant always runs on a cold (or hot) machine.
            boolean pipelineFirst = i % 2 == 0;
            for (int step = 0; step < 2; step++) {
                OtherCpu othersThisRun = OtherCpu.start();
                if ((step == 0) == pipelineFirst) {
                    PipelineRun r = runPipeline(ffmpeg, source, info, ladder, work.resolve("ladder/pipeline-" + i));
                    pipeline.add(r);
                    Bench.log("  run %d kinora pipeline: %.1f s ladder (%.1f + %.1f), poster %.1f s, storyboard %.1f s; %s",
                            i + 1, r.ladder().wall(), r.firstPass().wall(), r.secondPass().wall(), r.poster().wall(),
                            r.storyboard().wall(), othersThisRun.describe());
                } else {
                    Path out = work.resolve("ladder/plain-" + i);
                    Timed t = runPlain(ffmpeg, source, info, ladder, out);
                    plainOutput = measure(out);
                    plain.add(t);
                    Bench.log("  run %d plain ffmpeg:     %.1f s; %s", i + 1, t.wall(), othersThisRun.describe());
                    deleteTree(out);
                }
            }
        }
        return report(source, info, ladder, pipeline, plain, plainOutput)
                + "Meanwhile " + others.describe() + ".\n";
    }

    private PipelineRun runPipeline(Ffmpeg ffmpeg, Path source, MediaInfo info, List<Rung> ladder, Path out)
            throws IOException {
        deleteTree(out);
        CmafEncoder encoder = new CmafEncoder(ffmpeg, settings.preset());
        Thumbnails thumbnails = new Thumbnails(ffmpeg);

        // As TranscodeJobHandler: the poster from pass 1's decode, the storyboard from pass 2's.
        Timed first = Timed.of(() -> encoder.encode(source, info, List.of(ladder.getFirst()), info.hasAudio(),
                out.resolve("first"), p -> { }, new CmafEncoder.Extras(true, Optional.of(out.resolve("poster.jpg")), Optional.empty())));
        Timed poster = Timed.ZERO;
        Timed second = ladder.size() < 2 ? Timed.ZERO : Timed.of(() -> encoder.encode(source, info,
                ladder.subList(1, ladder.size()), false, out.resolve("rest"), p -> { },
                new CmafEncoder.Extras(false, Optional.empty(), Optional.of(out.resolve("storyboard")))));
        Timed storyboard = ladder.size() < 2 ? Timed.of(() -> thumbnails.storyboard(source, info, out.resolve("storyboard"))) : Timed.ZERO;

        Output output = measure(out.resolve("first")).plus(measure(out.resolve("rest")));
        deleteTree(out);
        return new PipelineRun(first, poster, second, storyboard, output);
    }

    private Timed runPlain(Ffmpeg ffmpeg, Path source, MediaInfo info, List<Rung> ladder, Path out) throws IOException {
        deleteTree(out);
        for (Rung r : ladder) Files.createDirectories(out.resolve(r.name()));
        Files.createDirectories(out.resolve("audio"));
        List<String> args = PlainLadderCommand.arguments(source, info.frameRate(), ladder, settings.preset(), out);
        // Same process plumbing (progress pipe included) as CmafEncoder, so only the command differs.
        return Timed.of(() -> ffmpeg.runFfmpeg(args, info.durationSeconds(), p -> { }));
    }

    private String report(Path source, MediaInfo info, List<Rung> ladder, List<PipelineRun> pipeline,
                          List<Timed> plain, Output plainOutput) {
        double baseWall = Stats.median(plain.stream().map(Timed::wall).toList());
        double baseCpu = Stats.median(plain.stream().map(Timed::cpu).toList());
        String rest = ladder.subList(1, ladder.size()).stream().map(Rung::name).toList().toString();

        Table t = new Table("variant", "wall, each run (s)", "wall (median)", "vs plain", "ffmpeg CPU (median)", "vs plain");
        row(t, "plain ffmpeg, 1 process: " + ladder.size() + " rungs + audio", plain, baseWall, baseCpu);
        row(t, "Kinora pipeline: pass 1 + pass 2", pipeline.stream().map(PipelineRun::ladder).toList(), baseWall, baseCpu);
        row(t, "  pass 1: " + ladder.getFirst().name() + " + audio + poster (playable after 2 segments)",
                pipeline.stream().map(PipelineRun::firstPass).toList(), baseWall, baseCpu);
        row(t, "  pass 2: " + rest + " + storyboard", pipeline.stream().map(PipelineRun::secondPass).toList(), baseWall, baseCpu);
        row(t, "Kinora poster, separately (folded into pass 1)", pipeline.stream().map(PipelineRun::poster).toList(), Double.NaN, Double.NaN);
        row(t, "Kinora storyboard, separately (folded into pass 2)", pipeline.stream().map(PipelineRun::storyboard).toList(), Double.NaN, Double.NaN);
        row(t, "Kinora pipeline incl. poster + storyboard", pipeline.stream().map(PipelineRun::total).toList(), baseWall, baseCpu);

        Output pipelineOutput = pipeline.getLast().output();
        return String.format(Locale.ROOT,
                "Ladder benchmark: %s (%.0f s, %dx%d @ %.0f fps), x264 preset %s, %d run(s) each, %d cores%n%n%s%n"
                        + "Output check: pipeline wrote %s in %d segments, plain ffmpeg %s in %d segments.%n",
                source.getFileName(), info.durationSeconds(), info.width(), info.height(), info.frameRate(),
                settings.preset(), plain.size(), Runtime.getRuntime().availableProcessors(), t.render(),
                Stats.mb(pipelineOutput.bytes()), pipelineOutput.segments(),
                Stats.mb(plainOutput.bytes()), plainOutput.segments());
    }

    private static void row(Table t, String name, List<Timed> runs, double baseWall, double baseCpu) {
        double wall = Stats.median(runs.stream().map(Timed::wall).toList());
        double cpu = Stats.median(runs.stream().map(Timed::cpu).toList());
        t.row(name, Stats.all(runs.stream().map(Timed::wall).toList()), Stats.s(wall),
                Double.isNaN(baseWall) ? "" : Stats.x(wall / baseWall), Stats.s(cpu),
                Double.isNaN(baseCpu) ? "" : Stats.x(cpu / baseCpu));
    }

    private static Output measure(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return new Output(0, 0);
        long bytes = 0;
        int segments = 0;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                bytes += Files.size(p);
                if (p.getFileName().toString().endsWith(".m4s")) segments++;
            }
        }
        return new Output(bytes, segments);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
