package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.server.config.ConfigLoader;
import org.kinora.server.config.KinoraConfig;

/**
 * The fair queue (issue 15), end to end on the embedded defaults (PostgreSQL queue): a short
 * upload made while a long one's chunks are being encoded is playable about as soon as on an
 * idle server, because its first-rung job goes ahead of the long video's remaining chunks; and
 * one account's backlog of uploads does not make another account's upload wait behind all of it.
 */
@Timeout(300)
class FairQueueIT {
    /** The long source, 40 s, cut every 8 s. */
    private static final int CHUNKS = 5;

    @TempDir
    static Path dir;

    /**
     * Time to ready (the video's {@code published_at} minus its transcode job's creation, both
     * the server's clock) of the same 8 s source, on the idle server and then uploaded while a
     * 40 s video's five chunk jobs are queued and running on both workers.
     */
    @Test
    void aShortUploadBehindAChunkedLongOneIsReadyAboutAsSoonAsOnAnIdleServer() throws Exception {
        try (TestServer server = new TestServer(dir.resolve("behind-long"), Map.of(
                "transcode.chunk-threshold-seconds", "20", "transcode.chunk-seconds", "8", "worker.concurrency", "2"))) {
            String token = server.register("queuer");
            byte[] shortSource = Files.readAllBytes(server.clip(dir, "short.mp4", 640, 360, 8));
            byte[] longSource = Files.readAllBytes(server.clip(dir, "long.mp4", 640, 360, 40));

            String idle = server.upload(shortSource, token);
            server.awaitVideo(idle, token, Duration.ofSeconds(60), v -> v.get("progress").asInt() == 100);
            double idleSeconds = secondsToReady(server, idle);

            String longId = server.upload(longSource, token);
            awaitChunkRunning(server, longId, Duration.ofSeconds(60));
            try (Connection c = DriverManager.getConnection(server.kinora.databaseUrl())) {
                assertThat(chunks(c, longId, "queued").size() + chunks(c, longId, "running").size() + chunks(c, longId, "done").size())
                        .as("chunk jobs").isEqualTo(CHUNKS);
            }
            String behind = server.upload(shortSource, token);

            // Watch the queue until the long video is done: how many of its chunks were still
            // queued when the short one's first-rung job started, and how long each chunk ran.
            Integer queuedChunksWhenShortStarted = null;
            Map<Integer, Instant> chunkStarted = new HashMap<>();
            java.util.Set<Integer> counted = new java.util.HashSet<>();
            long longestChunkMillis = 0;
            Instant deadline = Instant.now().plus(Duration.ofSeconds(200));
            try (Connection c = DriverManager.getConnection(server.kinora.databaseUrl())) {
                while (true) {
                    if (Instant.now().isAfter(deadline)) throw new AssertionError("the long video was not transcoded in time");
                    if (queuedChunksWhenShortStarted == null && !"queued".equals(firstRungStatus(c, behind))) {
                        queuedChunksWhenShortStarted = chunks(c, longId, "queued").size();
                    }
                    for (int part : chunks(c, longId, "running")) chunkStarted.putIfAbsent(part, Instant.now());
                    List<Integer> done = chunks(c, longId, "done");
                    for (int part : done) {
                        if (counted.add(part) && chunkStarted.containsKey(part)) {
                            longestChunkMillis = Math.max(longestChunkMillis, Duration.between(chunkStarted.get(part), Instant.now()).toMillis());
                        }
                    }
                    if (done.size() == CHUNKS && progress(c, longId) == 100) break;
                    Thread.sleep(20);
                }
            }
            assertThat(server.video(behind, token).get("status").asText()).isEqualTo("ready");
            double behindSeconds = secondsToReady(server, behind);
            System.out.printf("FairQueueIT: 8 s source ready %.2f s after upload on the idle server, %.2f s behind the chunked 40 s one; "
                    + "%d of its " + CHUNKS + " chunks still queued when the short one started; longest chunk %d ms%n",
                    idleSeconds, behindSeconds, queuedChunksWhenShortStarted, longestChunkMillis);

            // Its first-rung job went ahead of chunks queued before it (first in, first out would
            // have run all of them first)...
            assertThat(queuedChunksWhenShortStarted).as("chunks of the long video still queued when the short one's job started")
                    .isGreaterThanOrEqualTo(2);
            // ...so it waited at most for a worker to finish what it was doing (a chunk: jobs are
            // not preempted), and encoded beside one other job instead of alone.
            assertThat(behindSeconds).as("seconds to ready behind the long video (idle: " + idleSeconds + " s)")
                    .isLessThanOrEqualTo(2 * idleSeconds + longestChunkMillis / 1000.0 + 1.5);
            assertThat(server.video(longId, token).get("status").asText()).isEqualTo("ready");
        }
    }

    /**
     * Account a uploads four videos, then account b one, before any worker runs; one worker then
     * takes them: b's goes second (a's first was first in line), not fifth.
     */
    @Test
    void anotherAccountsUploadIsNotQueuedBehindOneAccountsBacklog() throws Exception {
        try (TestServer server = new TestServer(dir.resolve("accounts"), Map.of("worker.concurrency", "0"))) {
            String a = server.register("busy");
            String b = server.register("other");
            byte[] source = Files.readAllBytes(server.clip(dir, "tiny.mp4", 426, 240, 4));
            List<String> order = new ArrayList<>();
            for (int i = 0; i < 4; i++) order.add(server.upload(source, a));
            String bs = server.upload(source, b);
            order.add(bs);

            KinoraConfig config = ConfigLoader.load(Optional.empty(), Map.of(), Map.of(
                    "data.dir", server.dataDir.toString(), "database.url", server.kinora.databaseUrl(),
                    "transcode.x264-preset", "ultrafast", "worker.concurrency", "1"));
            try (Kinora worker = Kinora.start(config, Kinora.Role.WORKER)) {
                for (String id : order) server.awaitVideo(id, id.equals(bs) ? b : a, Duration.ofSeconds(90), v -> v.get("status").asText().equals("ready"));
            }
            List<String> readyOrder = new ArrayList<>();
            try (Connection c = DriverManager.getConnection(server.kinora.databaseUrl());
                 PreparedStatement q = c.prepareStatement("SELECT id FROM videos WHERE id = ANY(?) ORDER BY published_at")) {
                q.setArray(1, c.createArrayOf("text", order.toArray()));
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) readyOrder.add(rs.getString(1));
                }
            }
            assertThat(readyOrder).as("ready order (a1..a4 uploaded first, then b's)")
                    .containsExactly(order.get(0), bs, order.get(1), order.get(2), order.get(3));
        }
    }

    /** Seconds from the video's transcode job being queued to the video turning ready, on the server's clock. */
    private static double secondsToReady(TestServer server, String videoId) throws Exception {
        try (Connection c = DriverManager.getConnection(server.kinora.databaseUrl());
             PreparedStatement q = c.prepareStatement("""
                     SELECT extract(epoch FROM v.published_at - j.created_at) FROM videos v
                     JOIN jobs j ON j.video_id = v.id AND j.kind = 'transcode' WHERE v.id = ?""")) {
            q.setString(1, videoId);
            try (ResultSet rs = q.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getDouble(1);
            }
        }
    }

    private static void awaitChunkRunning(TestServer server, String videoId, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        try (Connection c = DriverManager.getConnection(server.kinora.databaseUrl())) {
            while (chunks(c, videoId, "running").isEmpty()) {
                if (Instant.now().isAfter(deadline)) throw new AssertionError("no chunk of video " + videoId + " started within " + timeout);
                Thread.sleep(20);
            }
        }
    }

    private static String firstRungStatus(Connection c, String videoId) throws Exception {
        try (PreparedStatement q = c.prepareStatement("SELECT status FROM jobs WHERE kind = 'transcode' AND video_id = ?")) {
            q.setString(1, videoId);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getString(1) : "queued";
            }
        }
    }

    private static List<Integer> chunks(Connection c, String videoId, String status) throws Exception {
        List<Integer> parts = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT part FROM jobs WHERE kind = 'transcode-chunk' AND video_id = ? AND status = ?")) {
            q.setString(1, videoId);
            q.setString(2, status);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) parts.add(rs.getInt(1));
            }
        }
        return parts;
    }

    private static int progress(Connection c, String videoId) throws Exception {
        try (PreparedStatement q = c.prepareStatement("SELECT progress FROM videos WHERE id = ?")) {
            q.setString(1, videoId);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
