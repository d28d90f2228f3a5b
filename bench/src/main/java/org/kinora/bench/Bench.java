package org.kinora.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Entry point of {@code bench/run}: {@code ladder}, {@code ttp} or {@code all}, with options.
 * Results are printed and also saved under {@code <work>/results/}.
 */
public final class Bench {
    private static final String USAGE = """
            Usage: bench/run ladder|ttp|api|all|search|queue|chunks|upload|analytics|live|origin|av1 [options]
              --source KIND     synthetic 1080p30 source: mandelbrot (default), noisy, testsrc2
              --preset NAME     x264 preset for both variants (default veryfast, Kinora's default)
              --seconds N       ladder: source length in seconds (default 30); queue: each video's (default 10)
              --repeats R       ladder: runs of each variant, alternating order (default 2)
              --lengths A,B,..  ttp: source lengths in seconds (default 10,120)
              --connections N   api, search: concurrent connections (default 20)
              --duration S      api: seconds measured per route (default 10), after a 3 s warm-up
              --videos N        search: public videos to index (default 10000); queue: videos queued (default 8)
              --workers A,B,..  queue, chunks: worker processes to drain the queue with, one run each (default 1,2)
              --queue KIND      queue: postgres (the jobs table, default) or kafka (a real Kafka broker, child JVM)
              --measure S       search: measured seconds per engine and endpoint (default 20)
              --engines LIST    search: postgres,opensearch (default both)
              --size-mb N       upload: size of the file uploaded (default 256)
              --sessions N      analytics: play sessions of 20 events posted for the ingest rate (default 5000; 32 connections)
              --millions N      analytics: millions of raw play events generated for the 90-day query (default 10); --videos: the channel's videos (200)
              --ladder-rungs A  live: runs of the ladder part, each with that many rungs transcoded below the source (default 1,2; 0 skips)
              --viewers A,B,..  live: simulated low-latency viewer counts, in order, until p99 passes 500 ms (default 25,50,100,200,400,800)
              origin: --connections N (default 256) and --duration S (default 10) per nginx/Kinora run, --rounds R (default 2),
                      --viewers N simulated viewers (default 500) of --videos N videos (default 4) for --minutes M (default 5),
                      --quick (1 round of 5 s, viewers for 1 minute: a check in ~4 minutes)
              --work DIR        scratch space and cached sources (default bench/target/bench-work)
            """;

    /** Parsed command line. */
    record Options(String benchmark, SyntheticSource source, String preset, int seconds, int repeats,
                   List<Integer> lengths, int connections, int duration, Path work, SearchBench.Settings search,
                   QueueBench.Settings queue, UploadBench.Settings upload, AnalyticsBench.Settings analytics,
                   LiveBench.Settings live, OriginBench.Settings origin) {

        static Options parse(String[] args) {
            if (args.length == 0) throw new IllegalArgumentException("Which benchmark?");
            String benchmark = args[0];
            if (!List.of("ladder", "ttp", "api", "all", "search", "queue", "chunks", "upload", "analytics", "live", "origin", "av1").contains(benchmark)) {
                throw new IllegalArgumentException("Unknown benchmark '" + benchmark + "'");
            }
            SyntheticSource source = SyntheticSource.MANDELBROT;
            String preset = "veryfast";
            Integer seconds = null;
            int repeats = 2;
            List<Integer> lengths = List.of(10, 120);
            Integer connections = null;
            int duration = 10;
            Path work = Path.of("bench/target/bench-work");
            Integer videos = null;
            List<Integer> workers = List.of(1, 2);
            String jobQueue = "postgres";
            int measure = 20;
            int sizeMb = 256;
            List<String> engines = List.of("postgres", "opensearch");
            int sessions = 5000;
            int millions = 10;
            List<Integer> viewers = List.of(25, 50, 100, 200, 400, 800);
            List<Integer> ladderRungs = List.of(1, 2);
            Double minutes = null;
            Integer rounds = null;
            boolean quick = false;
            boolean viewersGiven = false;
            boolean durationGiven = false;
            for (int i = 1; i < args.length; i++) {
                String name = args[i];
                if (name.equals("--quick")) {
                    quick = true;
                    continue;
                }
                if (i + 1 >= args.length) throw new IllegalArgumentException(name + " needs a value");
                String value = args[++i];
                switch (name) {
                    case "--source" -> source = SyntheticSource.parse(value);
                    case "--preset" -> preset = value;
                    case "--seconds" -> seconds = positive(name, value);
                    case "--repeats" -> repeats = positive(name, value);
                    case "--lengths" -> lengths = Arrays.stream(value.split(",")).map(v -> positive(name, v.trim())).toList();
                    case "--connections" -> connections = positive(name, value);
                    case "--duration" -> {
                        duration = positive(name, value);
                        durationGiven = true;
                    }
                    case "--work" -> work = Path.of(value);
                    case "--videos" -> videos = positive(name, value);
                    case "--measure" -> measure = positive(name, value);
                    case "--workers" -> workers = Arrays.stream(value.split(",")).map(v -> positive(name, v.trim())).toList();
                    case "--queue" -> jobQueue = value;
                    case "--size-mb" -> sizeMb = positive(name, value);
                    case "--sessions" -> sessions = positive(name, value);
                    case "--millions" -> millions = positive(name, value);
                    case "--ladder-rungs" -> ladderRungs = Arrays.stream(value.split(",")).map(v -> Integer.parseInt(v.trim())).toList();
                    case "--viewers" -> {
                        viewers = Arrays.stream(value.split(",")).map(v -> positive(name, v.trim())).toList();
                        viewersGiven = true;
                    }
                    case "--minutes" -> {
                        try {
                            minutes = Double.parseDouble(value);
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("--minutes needs a number, not '" + value + "'");
                        }
                        if (!(minutes > 0)) throw new IllegalArgumentException("--minutes needs a positive number, not '" + value + "'");
                    }
                    case "--rounds" -> rounds = positive(name, value);
                    case "--engines" -> engines = Arrays.stream(value.split(",")).map(String::trim).toList();
                    default -> throw new IllegalArgumentException("Unknown option " + name);
                }
            }
            boolean queue = benchmark.equals("queue");
            boolean chunks = benchmark.equals("chunks");
            boolean origin = benchmark.equals("origin");
            int conns = connections != null ? connections : origin ? 256 : 20;
            return new Options(benchmark, source, preset, seconds != null ? seconds : queue ? 10 : 30, repeats, lengths,
                    conns, duration, work.toAbsolutePath().normalize(),
                    new SearchBench.Settings(videos != null ? videos : 10_000, conns, measure, engines),
                    chunks ? QueueBench.Settings.chunks(seconds != null ? seconds : 120, workers, source, preset,
                            QueueBench.JobQueueKind.parse(jobQueue))
                            : new QueueBench.Settings(videos != null ? videos : 8, seconds != null ? seconds : 10, workers, source, preset,
                            QueueBench.JobQueueKind.parse(jobQueue)),
                    new UploadBench.Settings(sizeMb),
                    new AnalyticsBench.Settings(sessions, connections != null ? connections : 32, millions,
                            videos != null ? videos : 200),
                    new LiveBench.Settings(source, preset, seconds != null ? seconds : 30, viewers, ladderRungs),
                    new OriginBench.Settings(conns, quick && !durationGiven ? 5 : duration, rounds != null ? rounds : quick ? 1 : 2,
                            videos != null ? videos : 4, viewersGiven ? viewers.getFirst() : 500,
                            (int) Math.round(60 * (minutes != null ? minutes : quick ? 1 : 5)), 4));
        }

        private static int positive(String name, String value) {
            try {
                int n = Integer.parseInt(value);
                if (n > 0) return n;
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new IllegalArgumentException(name + " needs a positive whole number, not '" + value + "'");
        }
    }

    private Bench() {}

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        List<String> reports = new ArrayList<>();
        if (options.benchmark().equals("api")) {
            reports.add(new ApiLoadBench(new ApiLoadBench.Settings(options.connections(), options.duration(), 3, 200, 300),
                    options.work()).run());
        }
        if (options.benchmark().equals("search")) {
            reports.add(new SearchBench(options.search(), options.work()).run());
        }
        if (options.benchmark().equals("analytics")) {
            reports.add(new AnalyticsBench(options.analytics(), options.work()).run());
        }
        if (options.benchmark().equals("origin")) {
            reports.add(new OriginBench(options.origin(), options.work()).run());
        }
        if (options.benchmark().equals("upload")) {
            reports.add(new UploadBench(options.upload(), options.work()).run());
        }
        if (options.benchmark().equals("live")) {
            reports.add(new LiveBench(options.live(), options.work()).run());
        }
        if (options.benchmark().equals("queue") || options.benchmark().equals("chunks")) {
            reports.add(new QueueBench(options.queue(), options.work()).run());
        }
        if (options.benchmark().equals("av1")) {
            var settings = new Av1Bench.Settings(options.seconds(), options.repeats(), options.source(), options.preset(),
                    org.kinora.media.ladder.Av1Ladder.DEFAULT_PRESET);
            reports.add(new Av1Bench(settings, options.work()).run());
        }
        if (options.benchmark().equals("ladder") || options.benchmark().equals("all")) {
            var settings = new LadderBench.Settings(options.seconds(), options.repeats(), options.source(), options.preset());
            reports.add(new LadderBench(settings, options.work()).run());
        }
        if (options.benchmark().equals("ttp") || options.benchmark().equals("all")) {
            var settings = new TimeToPlayableBench.Settings(options.lengths(), options.source(), options.preset());
            reports.add(new TimeToPlayableBench(settings, options.work()).run());
        }
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss"));
        String text = String.join("\n", reports);
        Path saved = options.work().resolve("results").resolve(options.benchmark() + "-" + stamp + ".txt");
        Files.createDirectories(saved.getParent());
        Files.writeString(saved, text);
        System.out.println();
        System.out.print(text);
        System.out.println();
        System.out.println("(saved to " + saved + ")");
        // The server's non-daemon threads are closed, but do not let a straggler keep the JVM alive.
        System.exit(0);
    }

    static void log(String format, Object... args) {
        System.out.printf("[%s] %s%n", LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")),
                String.format(format, args));
    }
}
