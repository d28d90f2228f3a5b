package org.kinora.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.tus.java.client.TusClient;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;
import org.kinora.media.ffmpeg.Ffmpeg;
import org.kinora.server.Kinora;
import org.kinora.server.config.KinoraConfig;
import org.slf4j.LoggerFactory;

/**
 * What a creator waits for: a real Kinora server (embedded PostgreSQL, worker, HTTP on
 * 127.0.0.1) receives a tus upload, and the clock starts when the last byte is acknowledged
 * ({@code TusUploader.finish()} returned). The video is then polled every 100 ms until it is
 * playable ({@code status == ready}, lowest rung published) and until the full ladder and the
 * storyboard are done ({@code progress == 100}).
 */
final class TimeToPlayableBench {
    record Settings(List<Integer> lengths, SyntheticSource source, String preset) {}

    record Result(int seconds, long bytes, double upload, double playable, double full) {}

    private static final Duration POLL = Duration.ofMillis(100);
    /** Far beyond any expected run; only there so a stuck job cannot hang the benchmark forever. */
    private static final Duration GIVE_UP = Duration.ofHours(2);

    private final Settings settings;
    private final Path work;

    TimeToPlayableBench(Settings settings, Path work) {
        this.settings = settings;
        this.work = work;
    }

    String run() throws Exception {
        // Sources first, with the server not yet running, so generating them cannot disturb a measurement.
        Ffmpeg ffmpeg = Ffmpeg.bundled(work.resolve("tools"));
        List<Path> sources = new ArrayList<>();
        for (int seconds : settings.lengths()) {
            sources.add(settings.source().generate(ffmpeg, seconds, work.resolve("sources")));
        }
        quietServerLogs();

        Files.createDirectories(work);
        Path dataDir = Files.createTempDirectory(work, "ttp-data-");
        KinoraConfig config = BenchConfig.load(dataDir, Map.of(
                "data.dir", dataDir.toString(),
                "server.host", "127.0.0.1",
                "server.port", "0",
                "transcode.x264-preset", settings.preset()));

        List<Result> results = new ArrayList<>();
        OtherCpu others = OtherCpu.start();
        Bench.log("starting Kinora (embedded PostgreSQL) in %s ...", dataDir);
        try (Kinora kinora = Kinora.start(config, Kinora.Role.SERVER)) {
            KinoraClient api = new KinoraClient(URI.create("http://127.0.0.1:" + kinora.port()));
            String password = UUID.randomUUID().toString();
            api.register("bench", "bench@example.org", password);
            String token = api.token("bench", password);
            for (int i = 0; i < sources.size(); i++) {
                Result r = measure(api, token, sources.get(i), settings.lengths().get(i));
                results.add(r);
                Bench.log("  %d s source: playable after %.1f s, full ladder after %.1f s", r.seconds(),
                        r.playable(), r.full());
            }
        } finally {
            LadderBench.deleteTree(dataDir);
        }
        return report(results) + "Meanwhile " + others.describe() + ".\n";
    }

    private Result measure(KinoraClient api, String token, Path source, int seconds) throws Exception {
        TusClient tus = new TusClient();
        tus.setUploadCreationURL(api.uploadsUri().toURL());
        tus.setHeaders(Map.of("Authorization", "Bearer " + token));
        TusUpload upload = new TusUpload(source.toFile());
        upload.setMetadata(Map.of("filename", source.getFileName().toString()));

        Bench.log("uploading %s (%s) ...", source.getFileName(), Stats.mb(upload.getSize()));
        long start = System.nanoTime();
        TusUploader uploader = tus.createUpload(upload);
        String videoId = api.videoIdOf(uploader.getUploadURL(), token);
        uploader.setChunkSize(1024 * 1024);
        while (uploader.uploadChunk() > -1) {
            // uploadChunk sends the file in requests of up to the payload size (10 MiB) until it returns -1.
        }
        uploader.finish();
        long uploaded = System.nanoTime();

        double playable = Double.NaN;
        long deadline = uploaded + GIVE_UP.toNanos();
        while (true) {
            KinoraClient.VideoState state = api.video(videoId, token);
            long now = System.nanoTime();
            if ("failed".equals(state.status())) {
                throw new IllegalStateException("video " + videoId + " failed: " + state.failureReason());
            }
            if (Double.isNaN(playable) && "ready".equals(state.status())) playable = Stats.seconds(uploaded, now);
            if ("ready".equals(state.status()) && state.progress() == 100) {
                return new Result(seconds, upload.getSize(), Stats.seconds(start, uploaded), playable,
                        Stats.seconds(uploaded, now));
            }
            if (now > deadline) throw new IllegalStateException("video " + videoId + " not done after " + GIVE_UP);
            Thread.sleep(POLL);
        }
    }

    private String report(List<Result> results) {
        Table t = new Table("source", "upload", "upload time", "time to playable", "time to full ladder",
                "playable / full");
        for (Result r : results) {
            t.row(r.seconds() + " s 1080p30", Stats.mb(r.bytes()), Stats.s(r.upload()), Stats.s(r.playable()),
                    Stats.s(r.full()), String.format(Locale.ROOT, "%.2f", r.playable() / r.full()));
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "Time-to-playable benchmark: %s source, x264 preset %s, %d cores, clock starts when the tus upload finished%n%n",
                settings.source().id(), settings.preset(), Runtime.getRuntime().availableProcessors()));
        out.append(t.render());
        if (results.size() >= 2) {
            Result a = results.getFirst();
            Result b = results.getLast();
            double span = b.seconds() - a.seconds();
            out.append(String.format(Locale.ROOT,
                    "%nGrowth from %d s to %d s of source: time to playable +%.1f s (%.2f s per source second), "
                            + "full ladder +%.1f s (%.2f s per source second).%n",
                    a.seconds(), b.seconds(), b.playable() - a.playable(), (b.playable() - a.playable()) / span,
                    b.full() - a.full(), (b.full() - a.full()) / span));
            out.append(String.format(Locale.ROOT,
                    "Time to playable, %d s source / %d s source: %.2f (issue 15 asks <= 1.5, and <= 5 s for each).%n",
                    b.seconds(), a.seconds(), b.playable() / a.playable()));
        }
        return out.toString();
    }

    /** The server logs every request and job at INFO; keep only the pipeline's own lines and warnings. */
    static void quietServerLogs() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
            logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
            logback.getLogger("org.kinora.media.pipeline").setLevel(Level.INFO);
        }
    }
}
