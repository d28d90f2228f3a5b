package org.kinora.server.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.core.blob.BlobStore;

/**
 * What every blob-store adapter must do, run against each of them. {@link #node()} hands out, in
 * turn, two adapter instances over the same storage: two API nodes (or one before and after a
 * restart) with nothing shared but the store. Sizes cross the 5 MiB S3 part size so that multipart staging is really exercised.
 */
abstract class BlobStoreContract {
    static final int MiB = 1024 * 1024;
    private final List<BlobStore> opened = new ArrayList<>();
    private static int counter;

    @TempDir
    Path scratch;

    /** A fresh adapter instance over the shared storage. */
    protected abstract BlobStore newNode() throws IOException;

    /** Staging objects, partial files or multipart uploads left behind anywhere in the store. */
    protected abstract long stagingLeftovers() throws IOException;

    /** Two nodes per test, taken in turn: each call hands out the other one. */
    BlobStore node() throws IOException {
        if (opened.size() < 2) {
            opened.add(newNode());
            return opened.getLast();
        }
        turn = 1 - turn;
        return opened.get(turn);
    }

    private int turn = 1;

    @AfterEach
    void closeNodes() throws Exception {
        for (BlobStore s : opened) if (s instanceof AutoCloseable c) c.close();
    }

    /** A key of its own for each test, so the tests share one bucket or directory freely. */
    static synchronized String key(String name) { return "originals/t" + (++counter) + "-" + System.nanoTime() + "/" + name; }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] read(BlobStore store, String key) throws IOException {
        try (InputStream in = store.open(key)) {
            return in.readAllBytes();
        }
    }

    static InputStream slice(byte[] data, int from, int to) {
        return new ByteArrayInputStream(data, from, to - from);
    }

    @Test
    void putStatAndRangedReads() throws IOException {
        BlobStore store = node();
        String key = key("seg_00001.m4s");
        byte[] data = random(300_000, 1);
        assertThat(store.stat(key)).isEmpty();
        store.put(key, data, "video/iso.segment");
        assertThat(store.stat(key)).hasValueSatisfying(i -> assertThat(i.size()).isEqualTo(data.length));
        assertThat(read(store, key)).isEqualTo(data);
        try (InputStream in = store.open(key, 1000, 5000)) {
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(data, 1000, 6000));
        }
        try (InputStream in = store.open(key, data.length - 1, 1)) {
            assertThat(in.readAllBytes()).containsExactly(data[data.length - 1]);
        }
        try (InputStream in = store.open(key, 10, 0)) {
            assertThat(in.readAllBytes()).isEmpty();
        }
        // Viewers who seek away close streams early, many times over: the store keeps serving.
        for (int i = 0; i < 200; i++) {
            try (InputStream in = store.open(key, i, data.length - i)) {
                assertThat(in.read()).isEqualTo(data[i] & 0xff);
            }
        }
        assertThat(read(store, key)).isEqualTo(data);
        store.put(key, "replaced".getBytes(StandardCharsets.UTF_8), "text/plain");
        assertThat(node().stat(key)).hasValueSatisfying(i -> assertThat(i.size()).isEqualTo(8));
        assertThatThrownBy(() -> store.open(key("missing"), 0, 10).close()).isInstanceOf(IOException.class);
    }

    @Test
    void putFileAndGetALocalFileForTools() throws IOException {
        BlobStore store = node();
        String key = key("source");
        byte[] data = random(2 * MiB + 17, 2);
        Path file = Files.write(scratch.resolve("in.bin"), data);
        store.put(key, file, "application/octet-stream");
        Path local = node().localFile(key, scratch.resolve("work"));
        assertThat(Files.readAllBytes(local)).isEqualTo(data);
        assertThatThrownBy(() -> node().localFile(key("missing"), scratch.resolve("work"))).isInstanceOf(IOException.class);
    }

    @Test
    void stagedBytesAppendAcrossNodesAndBecomeTheBlobOnCommit() throws IOException {
        String key = key("source");
        byte[] data = random(13 * MiB + 12_345, 3);
        int[] cuts = {100_000, 100_003, 6 * MiB, 6 * MiB + 1, 12 * MiB, data.length};
        int from = 0;
        for (int cut : cuts) {
            BlobStore store = node(); // every piece on another node
            assertThat(store.appendStaged(key, slice(data, from, cut), Long.MAX_VALUE)).isEqualTo(cut - from);
            assertThat(node().stagedSize(key)).isEqualTo(cut);
            assertThat(store.stat(key)).as("staged bytes are not the blob yet").isEmpty();
            from = cut;
        }
        // maxBytes stops an append without reading further.
        String other = key("source");
        assertThat(node().appendStaged(other, slice(data, 0, 1000), 10)).isEqualTo(10);
        assertThat(node().stagedSize(other)).isEqualTo(10);
        node().abortStaged(other);

        node().commitStaged(key);
        assertThat(node().stat(key)).hasValueSatisfying(i -> assertThat(i.size()).isEqualTo(data.length));
        assertThat(read(node(), key)).isEqualTo(data);
        assertThat(node().stagedSize(key)).isZero();
        node().commitStaged(key); // a retried completion is a no-op
        assertThat(read(node(), key)).isEqualTo(data);
        assertThat(stagingLeftovers()).isZero();
    }

    @Test
    void aSmallUploadCommitsWithoutParts() throws IOException {
        String key = key("source");
        byte[] data = random(70_000, 4);
        node().appendStaged(key, slice(data, 0, 30_000), Long.MAX_VALUE);
        node().appendStaged(key, slice(data, 30_000, data.length), Long.MAX_VALUE);
        node().commitStaged(key);
        assertThat(read(node(), key)).isEqualTo(data);
        assertThatThrownBy(() -> node().commitStaged(key("never-staged"))).isInstanceOf(IOException.class);
    }

    @Test
    void truncateUndoesTheLatestAppendEvenWhenItFilledAPart() throws IOException {
        String key = key("source");
        byte[] data = random(9 * MiB, 5);
        byte[] wrong = random(9 * MiB, 6);
        node().appendStaged(key, slice(data, 0, MiB), Long.MAX_VALUE);
        // A 6 MiB chunk whose checksum will not match: on S3 it already went out as part 1.
        node().appendStaged(key, slice(wrong, MiB, 7 * MiB), Long.MAX_VALUE);
        assertThat(node().stagedSize(key)).isEqualTo(7 * MiB);
        node().truncateStaged(key, MiB);
        assertThat(node().stagedSize(key)).isEqualTo(MiB);
        // Resent right, on another node; then a small append undone within the waiting bytes.
        node().appendStaged(key, slice(data, MiB, 7 * MiB), Long.MAX_VALUE);
        node().appendStaged(key, slice(wrong, 7 * MiB, 8 * MiB), Long.MAX_VALUE);
        node().truncateStaged(key, 7 * MiB);
        node().appendStaged(key, slice(data, 7 * MiB, data.length), Long.MAX_VALUE);
        assertThat(node().stagedSize(key)).isEqualTo(data.length);
        node().commitStaged(key);
        assertThat(read(node(), key)).isEqualTo(data);
        assertThatThrownBy(() -> node().truncateStaged(key("x"), 5)).as("nothing staged to cut").isInstanceOf(Exception.class);
    }

    @Test
    void anAppendCutOffMidwayKeepsWhatArrived() throws IOException {
        String key = key("source");
        byte[] data = random(8 * MiB, 7);
        int delivered = 5 * MiB + 300_000; // past a part boundary, then the connection drops
        InputStream breaking = new InputStream() {
            int pos;
            @Override public int read() throws IOException {
                if (pos == delivered) throw new IOException("connection reset");
                return data[pos++] & 0xff;
            }
            @Override public int read(byte[] b, int off, int len) throws IOException {
                if (pos == delivered) throw new IOException("connection reset");
                int n = Math.min(len, delivered - pos);
                System.arraycopy(data, pos, b, off, n);
                pos += n;
                return n;
            }
        };
        assertThatThrownBy(() -> node().appendStaged(key, breaking, Long.MAX_VALUE)).isInstanceOf(IOException.class);
        assertThat(node().stagedSize(key)).isEqualTo(delivered);
        node().appendStaged(key, slice(data, delivered, data.length), Long.MAX_VALUE);
        node().commitStaged(key);
        assertThat(read(node(), key)).isEqualTo(data);
    }

    @Test
    void abortThrowsTheStagedBytesAway() throws IOException {
        String key = key("source");
        node().appendStaged(key, slice(random(7 * MiB, 8), 0, 7 * MiB), Long.MAX_VALUE);
        node().abortStaged(key);
        assertThat(node().stagedSize(key)).isZero();
        assertThat(node().stat(key)).isEmpty();
        assertThatThrownBy(() -> node().commitStaged(key)).isInstanceOf(IOException.class);
        node().abortStaged(key); // twice is fine
        node().abortStaged(key("never-staged"));
        assertThat(stagingLeftovers()).isZero();
    }

    @Test
    void deletePrefixRemovesOneVideoAndNothingElse() throws IOException {
        BlobStore store = node();
        String base = key("x").replace("/x", "");
        String video = base.replace("originals/", "videos/");
        for (String f : List.of("master.m3u8", "360p/index.m3u8", "360p/seg_00001.m4s", "thumbs/poster.jpg")) {
            store.put(video + "/" + f, f.getBytes(StandardCharsets.UTF_8), "application/octet-stream");
        }
        store.put(video + "x/master.m3u8", new byte[] {1}, "application/octet-stream");
        store.delete(video + "/thumbs/poster.jpg");
        assertThat(store.stat(video + "/thumbs/poster.jpg")).isEmpty();
        node().deletePrefix(video + "/");
        assertThat(store.stat(video + "/master.m3u8")).isEmpty();
        assertThat(store.stat(video + "/360p/seg_00001.m4s")).isEmpty();
        assertThat(store.stat(video + "x/master.m3u8")).as("a sibling sharing the name's start").isPresent();
        node().deletePrefix(video + "/"); // nothing left: fine
        store.delete(video + "/thumbs/poster.jpg"); // missing: fine
    }

    @Test
    void deletingAVideoMidUploadAlsoDropsItsStaging() throws IOException {
        String key = key("source");
        node().appendStaged(key, slice(random(6 * MiB, 9), 0, 6 * MiB), Long.MAX_VALUE);
        node().deletePrefix(key.substring(0, key.lastIndexOf('/') + 1));
        assertThat(stagingLeftovers()).isZero();
    }

    @Test
    void keysThatEscapeTheStoreAreRefused() throws IOException {
        BlobStore store = node();
        for (String bad : List.of("../outside", "/etc/passwd", "a/../../outside", "")) {
            assertThatThrownBy(() -> store.put(bad, new byte[] {1}, "x")).as(bad).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.stat(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.appendStaged(bad, slice(new byte[] {1}, 0, 1), 1)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    // --- tus concatenation (issue 13) ---

    /** Stores {@code sizes.length} pieces of random bytes and returns their keys; {@code whole} receives their bytes in order. */
    static List<String> pieces(BlobStore store, java.io.ByteArrayOutputStream whole, int... sizes) throws IOException {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            byte[] bytes = random(sizes[i], 100 + i);
            String key = key("piece-" + i);
            store.put(key, bytes, "application/octet-stream");
            whole.write(bytes);
            keys.add(key);
        }
        return keys;
    }

    /**
     * Big pieces (S3: each a part copied inside the bucket), small ones that must be streamed and
     * merged with their neighbours to reach S3's 5 MiB part minimum, an empty one, and a small last
     * one: the target holds every byte in order, on another node too, and the pieces stay.
     */
    @Test
    void concatenateJoinsPiecesInOrderWhateverTheirSizes() throws IOException {
        for (int[] sizes : List.of(new int[] {6 * MiB, 5 * MiB + 3, 1000}, new int[] {MiB, 7 * MiB, 0, 2 * MiB + 5, 100},
                new int[] {10, 20})) {
            java.io.ByteArrayOutputStream whole = new java.io.ByteArrayOutputStream();
            List<String> keys = pieces(node(), whole, sizes);
            String target = key("joined");
            long streamed = node().concatenate(keys, target);
            assertThat(streamed).isBetween(0L, (long) whole.size());
            assertThat(node().stat(target)).get().extracting(b -> b.size()).isEqualTo((long) whole.size());
            assertThat(Arrays.equals(read(node(), target), whole.toByteArray())).as(Arrays.toString(sizes)).isTrue();
            for (String k : keys) assertThat(node().stat(k)).as("pieces stay until the caller deletes them").isPresent();
        }
        assertThat(stagingLeftovers()).isZero();
    }

    @Test
    void concatenatingAMissingPieceFailsAndLeavesNoTarget() throws IOException {
        java.io.ByteArrayOutputStream whole = new java.io.ByteArrayOutputStream();
        List<String> keys = new ArrayList<>(pieces(node(), whole, 6 * MiB));
        keys.add(key("not-there"));
        String target = key("joined");
        assertThatThrownBy(() -> node().concatenate(keys, target)).isInstanceOf(IOException.class);
        assertThat(node().stat(target)).isEmpty();
        assertThat(stagingLeftovers()).isZero();
    }
}
