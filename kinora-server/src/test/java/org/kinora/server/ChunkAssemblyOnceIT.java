package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.adapters.postgres.PgCaptionRepository;
import org.kinora.adapters.postgres.PgEventLog;
import org.kinora.adapters.postgres.PgJobQueue;
import org.kinora.adapters.postgres.PgVideoRepository;
import org.kinora.adapters.postgres.PostgresDatabase;
import org.kinora.core.jobs.Job;
import org.kinora.core.jobs.JobHandler;
import org.kinora.core.upload.UploadService;
import org.kinora.media.ladder.Av1Ladder;
import org.kinora.media.pipeline.TranscodeJobHandler;

/**
 * A chunked video is assembled by whoever finishes last, a chunk or the first-rung job; two
 * finishing at the same instant both write the same files, and exactly one announces the video
 * processed (issue 15). Against the embedded PostgreSQL: a real chunked transcode first, then
 * its state put back to "every part done, not yet assembled" and the assembly run by two chunk
 * jobs at once from two threads, several times; each round appends one {@code video.processed}.
 */
@Timeout(240)
class ChunkAssemblyOnceIT {
    private static final int ROUNDS = 4;

    @TempDir
    static Path dir;

    @Test
    void twoFinishersAssemblingAtOnceAnnounceTheVideoOnce() throws Exception {
        try (TestServer server = new TestServer(dir.resolve("data"), Map.of(
                "transcode.chunk-threshold-seconds", "8", "transcode.chunk-seconds", "8", "worker.concurrency", "2"))) {
            String token = server.register("assembler");
            Path source = server.clip(dir, "twenty.mp4", 640, 360, 20);
            String videoId = server.upload(Files.readAllBytes(source), token);
            assertThat(server.awaitVideo(videoId, token, Duration.ofSeconds(150), v -> v.get("progress").asInt() == 100)
                    .get("status").asText()).isEqualTo("ready");
            List<Integer> parts = chunkParts(server, videoId);
            assertThat(parts).as("chunk jobs of the 20 s video").hasSizeGreaterThanOrEqualTo(2);
            assertThat(processedEvents(server, videoId)).as("video.processed after the real transcode").isEqualTo(1);

            // A second handler over the same database and blob store, as on another worker.
            PostgresDatabase db = server.kinora.database();
            PgVideoRepository videos = new PgVideoRepository(db);
            TranscodeJobHandler handler = new TranscodeJobHandler(videos, server.kinora.blobs(), db, new PgEventLog(db), new PgJobQueue(db),
                    server.ffmpeg(), dir.resolve("work"), "ultrafast", server.config.mediaLimits(), "und", d -> {},
                    new PgCaptionRepository(db), Av1Ladder.OFF, server.config.chunking());
            JobHandler chunks = handler.chunk();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                for (int round = 1; round <= ROUNDS; round++) {
                    // Every chunk's record and the first rung are stored; nobody has assembled yet.
                    sql(server, "UPDATE videos SET progress = 95, processed_at = NULL WHERE id = ?", videoId);
                    CyclicBarrier together = new CyclicBarrier(2);
                    List<Future<?>> finishers = new ArrayList<>();
                    for (int part : List.of(parts.getLast(), parts.get(parts.size() - 2))) {
                        finishers.add(pool.submit(() -> {
                            together.await();
                            chunks.run(new Job(1000 + part, UploadService.CHUNK_JOB, videoId, part, 0, 1, 3), () -> "test");
                            return null;
                        }));
                    }
                    for (Future<?> f : finishers) f.get();
                    assertThat(processedEvents(server, videoId)).as("video.processed after round " + round).isEqualTo(1 + round);
                    assertThat(progress(server, videoId)).isEqualTo(100);
                }
            } finally {
                pool.shutdownNow();
            }

            // A finisher killed after storing the files, before its claim committed, left exactly
            // this state; its job's retry alone assembles again and announces the video.
            sql(server, "UPDATE videos SET progress = 95, processed_at = NULL WHERE id = ?", videoId);
            chunks.run(new Job(2000, UploadService.CHUNK_JOB, videoId, parts.getLast(), 0, 2, 3), () -> "retry");
            assertThat(processedEvents(server, videoId)).as("video.processed after the retry").isEqualTo(2 + ROUNDS);
            assertThat(progress(server, videoId)).isEqualTo(100);

            // A finisher that counted the chunks before the last one was stored reports its
            // progress after the assembly: the processed video keeps its 100.
            videos.updateProgress(videoId, 80);
            assertThat(progress(server, videoId)).isEqualTo(100);
            assertThat(server.video(videoId, token).get("status").asText()).isEqualTo("ready");
            String master = server.video(videoId, token).get("playback").get("hls").asText();
            assertThat(server.get(master.replace("master.m3u8", "360p/index.m3u8"), null).body()).endsWith("#EXT-X-ENDLIST\n");
        }
    }

    private static List<Integer> chunkParts(TestServer server, String videoId) throws Exception {
        List<Integer> parts = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(server.kinora.databaseUrl());
             PreparedStatement q = c.prepareStatement(
                     "SELECT part FROM jobs WHERE kind = 'transcode-chunk' AND video_id = ? AND status = 'done' ORDER BY part")) {
            q.setString(1, videoId);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) parts.add(rs.getInt(1));
            }
        }
        return parts;
    }

    private static int processedEvents(TestServer server, String videoId) throws Exception {
        return count(server, "SELECT count(*) FROM outbox WHERE type = 'video.processed' AND subject_id = ?", videoId);
    }

    private static int progress(TestServer server, String videoId) throws Exception {
        return count(server, "SELECT progress FROM videos WHERE id = ?", videoId);
    }

    private static int count(TestServer server, String query, String videoId) throws Exception {
        try (Connection c = DriverManager.getConnection(server.kinora.databaseUrl()); PreparedStatement q = c.prepareStatement(query)) {
            q.setString(1, videoId);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static void sql(TestServer server, String update, String videoId) throws Exception {
        try (Connection c = DriverManager.getConnection(server.kinora.databaseUrl()); PreparedStatement q = c.prepareStatement(update)) {
            q.setString(1, videoId);
            assertThat(q.executeUpdate()).isEqualTo(1);
        }
    }
}
