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
import org.kinora.media.pipeline.ChunkSettings;
import org.kinora.media.pipeline.SourceCopy;

/**
 * What publishing early costs: Kinora's whole job against one plain ffmpeg command writing the
 * same ladder, by both routes of the first pass (issue 15, docs/vod-pipeline.md):
 *
 * <ul>
 *   <li><b>source copy</b> (taken when {@link SourceCopy} accepts the source, as it does the bench's
 *       H.264 High, 16 Mb/s, 2 s GOP source): pass 1 copies the video stream, encodes the audio and
 *       takes the poster from one decoded frame; pass 2 encodes every rung and the storyboard in
 *       the one decode of the whole job;</li>
 *   <li><b>lowest rung</b> (every other source): pass 1 encodes the lowest rung, the audio and the
 *       poster; pass 2 the other rungs and the storyboard, so the source is decoded twice.</li>
 * </ul>
 *
 * <p>Both variants run R times, alternating which goes first, so a warming or cooling machine
 * (or another job starting) does not favour one side. Medians are reported.
 */
final class LadderBench {
    record Settings(int seconds, int repeats, SyntheticSource source, String preset) {}

    /**
     * One run of what TranscodeJobHandler does, pass by pass, in the handler's order (poster and
     * storyboard are branches of the passes' own decodes). {@code output} is the ladder and the
     * audio, {@code copy} the copied source's rendition (not part of the ladder).
     */
    record PipelineRun(Timed firstPass, Timed secondPass, Output output, Output copy) {
        Timed total() {
            return firstPass.plus(secondPass);
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

        SourceCopy.Decision decision = SourceCopy.decide(SourceCopy.probe(ffmpeg, source, info), info,
                ChunkSettings.DEFAULT_SOURCE_COPY_MAX_MBPS);
        Bench.log("source copy: %s (%s)", decision.copy() ? "yes" : "no", decision.reason());

        OtherCpu others = OtherCpu.start();
        List<PipelineRun> copied = new ArrayList<>();
        List<PipelineRun> pipeline = new ArrayList<>();
        List<Timed> plain = new ArrayList<>();
        Output plainOutput = null;
        int variants = decision.copy() ? 3 : 2;
        for (int i = 0; i < settings.repeats(); i++) {
            // Rotate the order so no variant always runs on a cold (or hot) machine.
            for (int step = 0; step < variants; step++) {
                int variant = (step + i) % variants;
                OtherCpu othersThisRun = OtherCpu.start();
                if (variant == 2) {
                    PipelineRun r = runCopyPipeline(ffmpeg, source, info, ladder, work.resolve("ladder/copy-" + i));
                    copied.add(r);
                    Bench.log("  run %d kinora, source copy:  %.1f s (%.1f + %.1f); %s",
                            i + 1, r.total().wall(), r.firstPass().wall(), r.secondPass().wall(), othersThisRun.describe());
                } else if (variant == 1) {
                    PipelineRun r = runPipeline(ffmpeg, source, info, ladder, work.resolve("ladder/pipeline-" + i));
                    pipeline.add(r);
                    Bench.log("  run %d kinora, lowest rung first: %.1f s (%.1f + %.1f); %s",
                            i + 1, r.total().wall(), r.firstPass().wall(), r.secondPass().wall(), othersThisRun.describe());
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
        return report(source, info, ladder, decision, copied, pipeline, plain, plainOutput)
                + "Meanwhile " + others.describe() + ".\n";
    }

    /** The lowest-rung route: the poster from pass 1's decode, the storyboard from pass 2's. */
    private PipelineRun runPipeline(Ffmpeg ffmpeg, Path source, MediaInfo info, List<Rung> ladder, Path out)
            throws IOException {
        deleteTree(out);
        CmafEncoder encoder = new CmafEncoder(ffmpeg, settings.preset());
        Thumbnails thumbnails = new Thumbnails(ffmpeg);
        Timed first = Timed.of(() -> encoder.encode(source, info, List.of(ladder.getFirst()), info.hasAudio(),
                out.resolve("first"), p -> { }, new CmafEncoder.Extras(true, Optional.of(out.resolve("poster.jpg")), Optional.empty())));
        Timed second = ladder.size() < 2 ? Timed.of(() -> thumbnails.storyboard(source, info, out.resolve("storyboard")))
                : Timed.of(() -> encoder.encode(source, info, ladder.subList(1, ladder.size()), false, out.resolve("rest"), p -> { },
                        new CmafEncoder.Extras(false, Optional.empty(), Optional.of(out.resolve("storyboard")))));
        Output output = measure(out.resolve("first")).plus(measure(out.resolve("rest")));
        deleteTree(out);
        return new PipelineRun(first, second, output, new Output(0, 0));
    }

    /** The source-copy route: pass 1 copies the video (poster from one frame), pass 2 is every rung and the storyboard in one decode. */
    private PipelineRun runCopyPipeline(Ffmpeg ffmpeg, Path source, MediaInfo info, List<Rung> ladder, Path out) throws IOException {
        deleteTree(out);
        CmafEncoder encoder = new CmafEncoder(ffmpeg, settings.preset());
        // As TranscodeJobHandler: the storyboard from pass 1's keyframe-only decode, so pass 2 is the ladder alone.
        Timed first = Timed.of(() -> encoder.copySource(source, info, SourceCopy.RENDITION, out.resolve("first"), p -> { },
                out.resolve("poster.jpg"), Optional.of(out.resolve("storyboard")),
                info.hasAudio() && SourceCopy.decideAudio(SourceCopy.probeAudio(ffmpeg, source, info)).copy()));
        Timed second = Timed.of(() -> encoder.encode(source, info, ladder, false, out.resolve("rest"), p -> { }));
        Output output = measure(out.resolve("first/audio")).plus(measure(out.resolve("rest")));
        Output copy = measure(out.resolve("first/" + SourceCopy.RENDITION));
        deleteTree(out);
        return new PipelineRun(first, second, output, copy);
    }

    private Timed runPlain(Ffmpeg ffmpeg, Path source, MediaInfo info, List<Rung> ladder, Path out) throws IOException {
        deleteTree(out);
        for (Rung r : ladder) Files.createDirectories(out.resolve(r.name()));
        Files.createDirectories(out.resolve("audio"));
        List<String> args = PlainLadderCommand.arguments(source, info.frameRate(), ladder, settings.preset(), out);
        // Same process plumbing (progress pipe included) as CmafEncoder, so only the command differs.
        return Timed.of(() -> ffmpeg.runFfmpeg(args, info.durationSeconds(), p -> { }));
    }

    private String report(Path source, MediaInfo info, List<Rung> ladder, SourceCopy.Decision decision, List<PipelineRun> copied,
                          List<PipelineRun> pipeline, List<Timed> plain, Output plainOutput) {
        double baseWall = Stats.median(plain.stream().map(Timed::wall).toList());
        double baseCpu = Stats.median(plain.stream().map(Timed::cpu).toList());
        String all = ladder.stream().map(Rung::name).toList().toString();
        String rest = ladder.subList(1, ladder.size()).stream().map(Rung::name).toList().toString();

        Table t = new Table("variant", "wall, each run (s)", "wall (median)", "vs plain", "ffmpeg CPU (median)", "vs plain");
        row(t, "plain ffmpeg, 1 process: " + ladder.size() + " rungs + audio", plain, baseWall, baseCpu);
        if (!copied.isEmpty()) {
            row(t, "Kinora, source copy: whole job (ladder, poster, storyboard)", copied.stream().map(PipelineRun::total).toList(), baseWall, baseCpu);
            row(t, "  pass 1: copy video + audio + poster + storyboard from keyframes (playable after 4 segments)",
                    copied.stream().map(PipelineRun::firstPass).toList(), baseWall, baseCpu);
            row(t, "  pass 2: " + all + ", one decode", copied.stream().map(PipelineRun::secondPass).toList(), baseWall, baseCpu);
        }
        row(t, "Kinora, lowest rung first: whole job (ladder, poster, storyboard)", pipeline.stream().map(PipelineRun::total).toList(),
                baseWall, baseCpu);
        row(t, "  pass 1: " + ladder.getFirst().name() + " + audio + poster (playable after 2 segments)",
                pipeline.stream().map(PipelineRun::firstPass).toList(), baseWall, baseCpu);
        row(t, "  pass 2: " + rest + " + storyboard", pipeline.stream().map(PipelineRun::secondPass).toList(), baseWall, baseCpu);

        Output pipelineOutput = pipeline.getLast().output();
        String copyCheck = copied.isEmpty() ? "" : String.format(Locale.ROOT,
                "Source copy route: ladder + audio %s in %d segments, plus the copied source's rendition %s in %d segments.%n",
                Stats.mb(copied.getLast().output().bytes()), copied.getLast().output().segments(),
                Stats.mb(copied.getLast().copy().bytes()), copied.getLast().copy().segments());
        return String.format(Locale.ROOT,
                "Ladder benchmark: %s (%.0f s, %dx%d @ %.0f fps), x264 preset %s, %d run(s) each, %d cores%n"
                        + "Source copy (transcode.source-copy-max-mbps = %d): %s: %s%n%n%s%n"
                        + "Output check: lowest-rung route wrote %s in %d segments, plain ffmpeg %s in %d segments.%n%s",
                source.getFileName(), info.durationSeconds(), info.width(), info.height(), info.frameRate(),
                settings.preset(), plain.size(), Runtime.getRuntime().availableProcessors(),
                ChunkSettings.DEFAULT_SOURCE_COPY_MAX_MBPS, decision.copy() ? "yes" : "no", decision.reason(), t.render(),
                Stats.mb(pipelineOutput.bytes()), pipelineOutput.segments(),
                Stats.mb(plainOutput.bytes()), plainOutput.segments(), copyCheck);
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
