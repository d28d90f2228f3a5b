package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.core.blob.BlobKeys;
import org.kinora.server.engines.S3Engine;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Two Kinora nodes that share only the database and the bucket (separate data directories, no
 * shared disk): one tus upload hops between them PATCH by PATCH, across S3 part boundaries and a
 * restart of one node, survives a checksum mismatch, and becomes a playable video; terminating an
 * upload on one node aborts the multipart upload that the other one started.
 */
@Timeout(600)
class S3UploadAcrossNodesIT {
    static final int MiB = 1024 * 1024;
    static final String BUCKET = "shared";

    @TempDir
    static Path dir;
    static S3Engine s3;
    static TestServer nodeA;
    static TestServer nodeB;
    static S3Client raw;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3Engine.start(dir.resolve("s3"));
        nodeA = new TestServer(dir.resolve("a"), s3.kinoraConfig(BUCKET));
        nodeB = startNodeB("b1");
        token = nodeA.register("carol");
        raw = s3.rawClient();
    }

    /**
     * A second node: its own data directory, node A's database, the same bucket. It hands viewers
     * presigned bucket URLs for segments instead of proxying them; node A proxies.
     */
    static TestServer startNodeB(String name) throws Exception {
        Map<String, String> config = new HashMap<>(s3.kinoraConfig(BUCKET));
        config.put("database.url", nodeA.kinora.databaseUrl());
        config.put("s3.presign-seconds", "60");
        return new TestServer(dir.resolve(name), config);
    }

    @AfterAll
    static void stop() {
        if (raw != null) raw.close();
        if (nodeB != null) nodeB.close();
        if (nodeA != null) nodeA.close();
        if (s3 != null) s3.close();
    }

    static HttpResponse<String> create(TestServer node, long length) throws Exception {
        HttpResponse<String> r = node.send(HttpRequest.newBuilder(URI.create(node.base + "/api/v1/uploads"))
                .POST(HttpRequest.BodyPublishers.noBody()).header("Tus-Resumable", "1.0.0").header("Authorization", "Bearer " + token)
                .header("Upload-Length", Long.toString(length))
                .header("Upload-Metadata", "filename " + Base64.getEncoder().encodeToString("big.mp4".getBytes())));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return r;
    }

    static HttpResponse<String> patch(TestServer node, String location, byte[] file, int from, int to, String checksum) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.base + location))
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(file, from, to - from))
                .header("Tus-Resumable", "1.0.0").header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/offset+octet-stream").header("Upload-Offset", Integer.toString(from));
        if (checksum != null) b.header("Upload-Checksum", checksum);
        return node.send(b);
    }

    static long offset(TestServer node, String location) throws Exception {
        HttpResponse<String> head = node.send(HttpRequest.newBuilder(URI.create(node.base + location))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).header("Tus-Resumable", "1.0.0")
                .header("Authorization", "Bearer " + token));
        assertThat(head.statusCode()).isEqualTo(200);
        return Long.parseLong(head.headers().firstValue("Upload-Offset").orElseThrow());
    }

    static String sha1(byte[] file, int from, int to) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-1");
        md.update(file, from, to - from);
        return "sha1 " + Base64.getEncoder().encodeToString(md.digest());
    }

    /** A clip of over 9 MiB (noisy test pattern, lossless x264), big enough for two S3 parts of 5 MiB. */
    static Path bigClip() {
        Path out = dir.resolve("big.mp4");
        nodeA.ffmpeg().runFfmpeg(List.of("-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30,noise=alls=20:allf=t",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "2",
                "-c:v", "libx264", "-preset", "ultrafast", "-qp", "0", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", out.toString()));
        return out;
    }

    @Test
    void anUploadHopsBetweenNodesAndARestartAndBecomesPlayable() throws Exception {
        Path clip = bigClip();
        byte[] file = Files.readAllBytes(clip);
        assertThat(file.length).as("the clip must span several 5 MiB parts").isGreaterThan(9 * MiB);
        int n = file.length;
        HttpResponse<String> created = create(nodeA, n);
        String location = created.headers().firstValue("Location").orElseThrow();
        String videoId = created.headers().firstValue("Kinora-Video-Id").orElseThrow();

        // 3 MiB on A: waits in the bucket as a chunk, no part yet.
        assertThat(patch(nodeA, location, file, 0, 3 * MiB, null).statusCode()).isEqualTo(204);
        // 3 MiB on B: fills part 1 with A's bytes and its own.
        assertThat(offset(nodeB, location)).isEqualTo(3 * MiB);
        assertThat(patch(nodeB, location, file, 3 * MiB, 6 * MiB, null).statusCode()).isEqualTo(204);
        // B restarts (a new process would know no more than this one: nothing but the DB and the bucket).
        nodeB.close();
        nodeB = startNodeB("b2");
        // A corrupted 2 MiB chunk on the new B: refused whole, even though the bytes crossed into no part.
        byte[] corrupted = file.clone();
        corrupted[6 * MiB + 10] ^= 1;
        HttpResponse<String> mismatch = patch(nodeB, location, corrupted, 6 * MiB, 8 * MiB, sha1(file, 6 * MiB, 8 * MiB));
        assertThat(mismatch.statusCode()).as(mismatch.body()).isEqualTo(460);
        assertThat(offset(nodeA, location)).isEqualTo(6 * MiB);
        // Resent right, and the rest on A: completes there.
        assertThat(patch(nodeB, location, file, 6 * MiB, 8 * MiB, sha1(file, 6 * MiB, 8 * MiB)).statusCode()).isEqualTo(204);
        assertThat(patch(nodeA, location, file, 8 * MiB, n, null).statusCode()).isEqualTo(204);

        assertThat(nodeB.sha256OfBlob(BlobKeys.original(videoId))).isEqualTo(TestServer.sha256(clip));
        assertThat(raw.listObjectsV2(b -> b.bucket(BUCKET).prefix("uploads/")).contents()).as("staging cleaned up").isEmpty();
        assertThat(raw.listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).isEmpty();

        JsonNode ready = nodeB.awaitVideo(videoId, token, Duration.ofSeconds(120), v -> v.get("progress").asInt() == 100);
        String hls = ready.get("playback").get("hls").asText();
        String segment = hls.replace("master.m3u8", "360p/seg_00001.m4s").replace(nodeB.base, nodeA.base);
        HttpResponse<byte[]> whole = nodeA.http.send(HttpRequest.newBuilder(URI.create(segment)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(whole.statusCode()).as("node A proxies").isEqualTo(200);
        HttpResponse<byte[]> part = nodeA.http.send(HttpRequest.newBuilder(URI.create(segment))
                .header("Range", "bytes=10-1009").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(whole.body(), 10, 1010));

        // Node B checks the token, then sends the viewer to the bucket; ranges work there too.
        HttpResponse<String> redirect = nodeB.get(segment.replace(nodeA.base, nodeB.base), null);
        assertThat(redirect.statusCode()).isEqualTo(302);
        String presigned = redirect.headers().firstValue("Location").orElseThrow();
        assertThat(presigned).startsWith(s3.endpoint() + "/" + BUCKET + "/videos/" + videoId + "/360p/seg_00001.m4s?")
                .contains("X-Amz-Signature=");
        HttpResponse<byte[]> direct = nodeB.http.send(HttpRequest.newBuilder(URI.create(presigned)).header("Range", "bytes=10-1009").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(direct.statusCode()).isEqualTo(206);
        assertThat(direct.body()).isEqualTo(part.body());
        String forged = hls.replaceFirst("/media/([0-9]+)\\.([^./]+)\\.[^/]+/", "/media/$1.$2.AAAAAAAAAAAAAAAAAAAAAA/")
                .replace("master.m3u8", "360p/seg_00001.m4s");
        assertThat(nodeB.get(forged, null).statusCode()).as("no redirect without a valid token").isEqualTo(403);
        // ffmpeg plays the whole ladder through node B, following its redirects.
        nodeA.ffmpeg().runFfmpeg(List.of("-v", "error", "-i", hls, "-map", "0:v:0", "-f", "null", "-"));
    }

    @Test
    void terminatingOnOneNodeAbortsTheMultipartUploadTheOtherStarted() throws Exception {
        byte[] file = new byte[7 * MiB];
        new java.util.Random(1).nextBytes(file);
        HttpResponse<String> created = create(nodeA, 20 * MiB);
        String location = created.headers().firstValue("Location").orElseThrow();
        String videoId = created.headers().firstValue("Kinora-Video-Id").orElseThrow();
        assertThat(patch(nodeB, location, file, 0, 7 * MiB, null).statusCode()).isEqualTo(204);
        assertThat(raw.listMultipartUploads(b -> b.bucket(BUCKET)).uploads())
                .anySatisfy(u -> assertThat(u.key()).isEqualTo(BlobKeys.original(videoId)));

        HttpResponse<String> terminated = nodeA.send(HttpRequest.newBuilder(URI.create(nodeA.base + location)).DELETE()
                .header("Tus-Resumable", "1.0.0").header("Authorization", "Bearer " + token));
        assertThat(terminated.statusCode()).isEqualTo(204);
        assertThat(raw.listMultipartUploads(b -> b.bucket(BUCKET)).uploads())
                .noneSatisfy(u -> assertThat(u.key()).isEqualTo(BlobKeys.original(videoId)));
        assertThat(raw.listObjectsV2(b -> b.bucket(BUCKET).prefix(BlobKeys.staging(BlobKeys.original(videoId)))).contents()).isEmpty();
        assertThat(nodeB.send(HttpRequest.newBuilder(URI.create(nodeB.base + location)).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("Tus-Resumable", "1.0.0").header("Authorization", "Bearer " + token)).statusCode()).isEqualTo(404);
    }
    @Test
    void whileOneNodeIsWritingAnUploadAnotherNodeRefusesToWriteIt() throws Exception {
        byte[] file = new byte[2 * MiB];
        new java.util.Random(2).nextBytes(file);
        HttpResponse<String> created = create(nodeA, file.length);
        String location = created.headers().firstValue("Location").orElseThrow();
        int sent = 300_000;
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", URI.create(nodeA.base).getPort())) {
            // A PATCH on A that stalls halfway (a slow client) holds the upload...
            var out = socket.getOutputStream();
            out.write(("PATCH " + location + " HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/offset+octet-stream\r\nUpload-Offset: 0\r\nContent-Length: " + file.length
                    + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.write(file, 0, sent);
            out.flush();
            Thread.sleep(500);
            // ...so B refuses to write it meanwhile: 409, and tus clients retry.
            HttpResponse<String> busy = patch(nodeB, location, file, 0, file.length, null);
            assertThat(busy.statusCode()).isEqualTo(409);
            assertThat(busy.body()).contains("upload_busy");
        }
        // The slow client went away: A keeps what arrived and lets go; B continues from there.
        long kept = 0;
        for (int i = 0; i < 50 && kept == 0; i++) {
            Thread.sleep(100);
            kept = offset(nodeB, location);
        }
        assertThat(kept).isEqualTo(sent);
        assertThat(patch(nodeB, location, file, sent, file.length, null).statusCode()).isEqualTo(204);
        String videoId = created.headers().firstValue("Kinora-Video-Id").orElseThrow();
        try (var in = nodeA.kinora.blobs().open(BlobKeys.original(videoId))) {
            assertThat(in.readAllBytes()).isEqualTo(file);
        }
    }

    /**
     * tus concatenation on S3 across nodes: a 6 MiB piece sent to A and a small last piece to B are
     * joined by a final request to B naming A's absolute URLs. The original is the pieces in order
     * (assembled by UploadPartCopy inside the bucket: both parts may be copies, see
     * S3BlobStoreContractIT), and neither the pieces nor a multipart upload are left in the bucket.
     */
    @Test
    void piecesSentToTwoNodesAreJoinedInTheBucket() throws Exception {
        byte[] file = new byte[6 * MiB + 1000];
        new java.util.Random(7).nextBytes(file);
        String first = piece(nodeA, file, 0, 6 * MiB);
        String second = piece(nodeB, file, 6 * MiB, file.length);
        HttpResponse<String> joined = nodeB.send(HttpRequest.newBuilder(URI.create(nodeB.base + "/api/v1/uploads"))
                .POST(HttpRequest.BodyPublishers.noBody()).header("Tus-Resumable", "1.0.0").header("Authorization", "Bearer " + token)
                .header("Upload-Concat", "final;" + nodeA.base + first + " " + nodeA.base + second));
        assertThat(joined.statusCode()).as(joined.body()).isEqualTo(201);
        String videoId = joined.headers().firstValue("Kinora-Video-Id").orElseThrow();
        try (var in = nodeA.kinora.blobs().open(BlobKeys.original(videoId))) {
            assertThat(Arrays.equals(in.readAllBytes(), file)).isTrue();
        }
        assertThat(raw.listObjectsV2(b -> b.bucket(BUCKET).prefix("partials/")).contents()).isEmpty();
        assertThat(raw.listMultipartUploads(b -> b.bucket(BUCKET).prefix("partials/")).uploads()).isEmpty();
        assertThat(raw.listMultipartUploads(b -> b.bucket(BUCKET).prefix(BlobKeys.originalsPrefix(videoId))).uploads()).isEmpty();
    }

    /** A finished partial upload of {@code file[from, to)} sent to {@code node}; returns its path. */
    static String piece(TestServer node, byte[] file, int from, int to) throws Exception {
        HttpResponse<String> r = node.send(HttpRequest.newBuilder(URI.create(node.base + "/api/v1/uploads"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(file, from, to - from)).header("Tus-Resumable", "1.0.0")
                .header("Authorization", "Bearer " + token).header("Upload-Concat", "partial")
                .header("Upload-Length", Integer.toString(to - from)).header("Content-Type", "application/offset+octet-stream"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(r.headers().firstValue("Upload-Offset")).hasValue(Integer.toString(to - from));
        return r.headers().firstValue("Location").orElseThrow();
    }
}
