package org.kinora.bench;

import io.tus.java.client.TusClient;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.kinora.media.ffmpeg.Ffmpeg;
import org.kinora.server.Kinora;
import org.kinora.server.config.KinoraConfig;
import org.kinora.server.engines.EmbeddedKafka;

/**
 * A queue of short videos drained by one worker, then by two: N uploads are queued while no
 * worker runs, then the workers start and the clock runs until every video has its full ladder.
 * Each worker is a separate {@code kinora worker} (Role.WORKER) sharing the API node's database
 * and blob directory, as on a real deployment.
 */
final class QueueBench {
    /**
     * @param workerKeys extra config keys for every worker, e.g. {@code transcode.x264-threads}
     * @param title the report's first words ("Queue benchmark", "Chunks benchmark")
     */
    record Settings(int videos, int seconds, List<Integer> workerCounts, SyntheticSource source, String preset,
                    JobQueueKind jobQueue, Map<String, String> workerKeys, String title, boolean pinCores) {
        Settings(int videos, int seconds, List<Integer> workerCounts, SyntheticSource source, String preset, JobQueueKind jobQueue) {
            this(videos, seconds, workerCounts, source, preset, jobQueue, Map.of(), "Queue benchmark", false);
        }

        /**
         * {@code bench/run chunks}: one long video's full ladder with 1, then 2 workers, each
         * worker's x264 on one thread and its ffmpeg processes pinned to a core of their own
         * ({@link CorePinning}: a stand-in for one-core machines), so the speedup is the chunks'
         * parallelism, not x264's own threads.
         */
        static Settings chunks(int seconds, List<Integer> workerCounts, SyntheticSource source, String preset, JobQueueKind jobQueue) {
            return new Settings(1, seconds, workerCounts, source, preset, jobQueue,
                    Map.of("transcode.x264-threads", "1"), "Chunks benchmark (one video, transcode.x264-threads = 1, each worker's ffmpeg pinned to one core)", true);
        }
    }

    /** Where the jobs wait: the PostgreSQL table, or Kafka topics (a real broker in a child JVM, fresh per run). */
    enum JobQueueKind {
        POSTGRES, KAFKA;

        static JobQueueKind parse(String s) {
            return switch (s) {
                case "postgres" -> POSTGRES;
                case "kafka" -> KAFKA;
                default -> throw new IllegalArgumentException("--queue must be postgres or kafka, not '" + s + "'");
            };
        }
    }

    record Result(int workers, double makespan, double firstPlayable, double meanPlayable) {
        double videosPerMinute(int videos) { return videos * 60 / makespan; }
    }

    private final Settings settings;
    private final Path work;

    QueueBench(Settings settings, Path work) {
        this.settings = settings;
        this.work = work;
    }

    String run() throws Exception {
        Ffmpeg ffmpeg = Ffmpeg.bundled(work.resolve("tools"));
        Path source = settings.source().generate(ffmpeg, settings.seconds(), work.resolve("sources"));
        TimeToPlayableBench.quietServerLogs();
        List<Result> results = new ArrayList<>();
        OtherCpu others = OtherCpu.start();
        for (int workers : settings.workerCounts()) {
            Result r = drain(source, workers);
            results.add(r);
            Bench.log("  %d worker(s): %d videos done in %.1f s (%.2f videos/min)", workers, settings.videos(),
                    r.makespan(), r.videosPerMinute(settings.videos()));
        }
        return report(results, source) + "Meanwhile " + others.describe() + ".\n";
    }

    private Result drain(Path source, int workerCount) throws Exception {
        Files.createDirectories(work);
        Path dataDir = Files.createTempDirectory(work, "queue-data-");
        EmbeddedKafka kafka = settings.jobQueue() == JobQueueKind.KAFKA ? new EmbeddedKafka(dataDir.resolve("kafka")) : null;
        // Every node (the API node and each worker) points at the same broker and topics.
        Map<String, String> queueKeys = kafka == null ? Map.of() : Map.of("jobs.queue", "kafka",
                "kafka.bootstrap-servers", kafka.bootstrapServers(), "kafka.session-timeout-ms", "6000");
        Map<String, String> api0 = new HashMap<>(Map.of(
                "data.dir", dataDir.toString(), "server.host", "127.0.0.1", "server.port", "0",
                "worker.concurrency", "0"));
        api0.putAll(queueKeys);
        KinoraConfig apiConfig = BenchConfig.load(dataDir, api0);
        List<Kinora> workers = new ArrayList<>();
        CorePinning pinning = null;
        Kinora api;
        try {
            api = Kinora.start(apiConfig, Kinora.Role.SERVER);
        } catch (Exception e) {
            if (kafka != null) kafka.close();
            throw e;
        }
        try {
            KinoraClient client = new KinoraClient(URI.create("http://127.0.0.1:" + api.port()));
            String password = UUID.randomUUID().toString();
            client.register("bench", "bench@example.org", password);
            String token = client.token("bench", password);
            Bench.log("queueing %d uploads of %s for %d worker(s) ...", settings.videos(), source.getFileName(), workerCount);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < settings.videos(); i++) ids.add(upload(client, token, source));

            if (settings.pinCores()) pinning = new CorePinning(dataDir, Runtime.getRuntime().availableProcessors());
            for (int w = 0; w < workerCount; w++) {
                Path workerDir = dataDir.resolve("worker-" + w);
                Files.createDirectories(workerDir);
                Map<String, String> c = new HashMap<>(Map.of(
                        "data.dir", workerDir.toString(), "database.url", api.databaseUrl(),
                        "blob.dir", apiConfig.blobDir().toString(), "worker.concurrency", "1",
                        "transcode.x264-preset", settings.preset()));
                c.putAll(queueKeys);
                c.putAll(settings.workerKeys());
                workers.add(Kinora.start(BenchConfig.load(workerDir, c), Kinora.Role.WORKER));
            }
            long start = System.nanoTime();
            Map<String, Double> playable = new LinkedHashMap<>();
            List<String> pending = new ArrayList<>(ids);
            while (!pending.isEmpty()) {
                for (var it = pending.iterator(); it.hasNext(); ) {
                    String id = it.next();
                    KinoraClient.VideoState s = client.video(id, token);
                    if ("failed".equals(s.status())) throw new IllegalStateException("video " + id + " failed: " + s.failureReason());
                    if ("ready".equals(s.status())) playable.putIfAbsent(id, Stats.seconds(start, System.nanoTime()));
                    if ("ready".equals(s.status()) && s.progress() == 100) it.remove();
                }
                Thread.sleep(200);
            }
            double makespan = Stats.seconds(start, System.nanoTime());
            double first = playable.values().stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
            double mean = playable.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            return new Result(workerCount, makespan, first, mean);
        } finally {
            // Workers first: they still use the API node's embedded database.
            for (Kinora w : workers) w.close();
            if (pinning != null) pinning.close();
            api.close();
            if (kafka != null) kafka.close();
            LadderBench.deleteTree(dataDir);
        }
    }

    private static String upload(KinoraClient client, String token, Path source) throws Exception {
        TusClient tus = new TusClient();
        tus.setUploadCreationURL(client.uploadsUri().toURL());
        tus.setHeaders(Map.of("Authorization", "Bearer " + token));
        TusUpload upload = new TusUpload(source.toFile());
        upload.setMetadata(Map.of("filename", source.getFileName().toString()));
        TusUploader uploader = tus.createUpload(upload);
        String id = client.videoIdOf(uploader.getUploadURL(), token);
        uploader.setChunkSize(4 * 1024 * 1024);
        while (uploader.uploadChunk() > -1) {
            // until the whole file is sent
        }
        uploader.finish();
        return id;
    }

    private String report(List<Result> results, Path source) throws Exception {
        Table t = new Table("workers", "all videos done", "videos/min", "first playable", "mean time to playable");
        for (Result r : results) {
            t.row(Integer.toString(r.workers()), Stats.s(r.makespan()),
                    String.format(Locale.ROOT, "%.2f", r.videosPerMinute(settings.videos())),
                    Stats.s(r.firstPlayable()), Stats.s(r.meanPlayable()));
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "%s: %d videos of %d s (%s, %s), x264 preset %s, jobs on %s, each worker 1 job at a time, %d cores%n%n",
                settings.title(), settings.videos(), settings.seconds(), settings.source().id(), Stats.mb(Files.size(source)),
                settings.preset(), settings.jobQueue().name().toLowerCase(Locale.ROOT), Runtime.getRuntime().availableProcessors()));
        out.append(t.render());
        if (results.size() >= 2) {
            Result a = results.getFirst();
            Result b = results.getLast();
            out.append(String.format(Locale.ROOT, "%nThroughput with %d workers / with %d: %.2fx.%n",
                    b.workers(), a.workers(), a.makespan() / b.makespan()));
            out.append("Load average at the end: " + Stats.loadAverage() + "\n");
        }
        return out.toString();
    }
}
