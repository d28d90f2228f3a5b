package org.kinora.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.kinora.server.Kinora;
import org.kinora.server.config.KinoraConfig;
import org.kinora.server.engines.S3Proxy;

/**
 * tus upload throughput into each blob store: the local directory, and S3 (s3proxy on this
 * machine, its filesystem backend, signatures checked). A random file is sent as PATCH requests
 * of 8 MiB (what the web uploader sends), of 1 MiB, and as one single PATCH; the time runs from
 * the first byte to the last response, which includes committing the upload (the S3 multipart
 * completion). No worker runs: the random bytes are never transcoded.
 */
final class UploadBench {
    record Settings(int sizeMb) {}

    private record Result(String store, String requests, double seconds, double lastMs) {
        Result withStore(String name) { return new Result(name, requests, seconds, lastMs); }
    }

    private final Settings settings;
    private final Path work;
    private final HttpClient http = HttpClient.newHttpClient();

    UploadBench(Settings settings, Path work) {
        this.settings = settings;
        this.work = work;
    }

    String run() throws Exception {
        byte[] file = new byte[settings.sizeMb() * 1024 * 1024];
        new Random(42).nextBytes(file);
        TimeToPlayableBench.quietServerLogs();
        Files.createDirectories(work);
        List<Result> results = new ArrayList<>();
        OtherCpu others = OtherCpu.start();
        for (String store : List.of("local", "s3")) {
            Path dataDir = Files.createTempDirectory(work, "upload-" + store + "-");
            S3Proxy s3proxy = store.equals("s3") ? new S3Proxy(dataDir.resolve("s3proxy")) : null;
            try {
                Map<String, String> overrides = new HashMap<>(Map.of("data.dir", dataDir.toString(), "server.host", "127.0.0.1",
                        "server.port", "0", "worker.concurrency", "0"));
                if (s3proxy != null) {
                    overrides.putAll(s3proxy.kinoraConfig("bench"));
                    overrides.put("s3.part-size-mb", "8"); // Kinora's default, not the tests' 5
                }
                KinoraConfig config = BenchConfig.load(dataDir, overrides);
                Bench.log("starting Kinora with media in %s ...", store);
                try (Kinora kinora = Kinora.start(config, Kinora.Role.SERVER)) {
                    KinoraClient api = new KinoraClient(URI.create("http://127.0.0.1:" + kinora.port()));
                    String password = UUID.randomUUID().toString();
                    api.register("bench", "bench@example.org", password);
                    String token = api.token("bench", password);
                    String base = "http://127.0.0.1:" + kinora.port();
                    upload(base, token, file, file.length); // warm-up, not counted
                    for (int request : new int[] {8 * 1024 * 1024, 1024 * 1024, file.length}) {
                        Result r = upload(base, token, file, request).withStore(store);
                        results.add(r);
                        Bench.log("  %s, %s: %.1f MB/s (last request %.0f ms)", store, r.requests(), file.length / 1e6 / r.seconds(), r.lastMs());
                    }
                }
            } finally {
                if (s3proxy != null) s3proxy.close();
                LadderBench.deleteTree(dataDir);
            }
        }
        return report(results, file.length) + "Meanwhile " + others.describe() + ".\n";
    }

    private Result upload(String base, String token, byte[] file, int request) throws Exception {
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/uploads"))
                .POST(HttpRequest.BodyPublishers.noBody()).header("Tus-Resumable", "1.0.0").header("Authorization", "Bearer " + token)
                .header("Upload-Length", Integer.toString(file.length)).build(), HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) throw new IllegalStateException("creating the upload: " + created.body());
        URI location = URI.create(base + created.headers().firstValue("Location").orElseThrow());
        long start = System.nanoTime();
        long lastStart = start;
        for (int offset = 0; offset < file.length; offset += request) {
            int length = Math.min(request, file.length - offset);
            lastStart = System.nanoTime();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(location)
                    .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(file, offset, length))
                    .header("Tus-Resumable", "1.0.0").header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/offset+octet-stream").header("Upload-Offset", Integer.toString(offset))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 204) throw new IllegalStateException("PATCH at " + offset + ": " + r.statusCode() + " " + r.body());
        }
        long end = System.nanoTime();
        String requests = request >= file.length ? "one request" : (request / (1024 * 1024)) + " MiB requests";
        return new Result("", requests, (end - start) / 1e9, (end - lastStart) / 1e6);
    }

    private static String report(List<Result> results, long bytes) {
        Table table = new Table("media in", "PATCH size", "MB/s", "seconds", "last PATCH (incl. commit)");
        for (Result r : results) {
            table.row(r.store(), r.requests(), String.format(Locale.ROOT, "%.1f", bytes / 1e6 / r.seconds()),
                    String.format(Locale.ROOT, "%.2f", r.seconds()), String.format(Locale.ROOT, "%.0f ms", r.lastMs()));
        }
        return "tus upload of " + Stats.mb(bytes) + " over loopback\n\n" + table.render();
    }
}
