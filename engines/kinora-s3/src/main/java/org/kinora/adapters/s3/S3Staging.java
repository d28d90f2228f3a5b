package org.kinora.adapters.s3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kinora.core.blob.AppendAbandonedException;
import org.kinora.core.blob.BlobKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Resumable writes on S3 with no state outside the bucket, so that the next tus PATCH may reach
 * another node, or this one after a restart.
 *
 * <p>Bytes for key {@code K} become parts of a multipart upload whose destination is {@code K}
 * itself, so completing it needs no copy. Parts must be at least 5 MiB, and a tus PATCH may carry
 * a few kilobytes: bytes that do not yet fill a part wait as small "chunk" objects
 * {@code uploads/K/c<offset>}, one per PATCH, and are sent as (the front of) the next part once
 * enough has arrived. A zero-byte object {@code uploads/K/state} records in its metadata the
 * multipart upload's id and how many parts and bytes it holds so far; chunks start where the parts
 * end.
 *
 * <p>Write order keeps every crash consistent: a part is uploaded before the state counts it (an
 * uncounted part is overwritten by the next one with the same number, and left out on completion).
 * A checksum mismatch must undo the whole latest PATCH even when part of it already went into a
 * part, so the state also remembers where the parts ended before that PATCH, and the chunks it
 * consumed are only deleted when the next PATCH starts.
 */
final class S3Staging {
    private static final Logger log = LoggerFactory.getLogger(S3Staging.class);
    private static final int READ_BUFFER = 256 * 1024;

    private final S3BlobStore store;
    private final int partSize;

    S3Staging(S3BlobStore store, int partSize) {
        this.store = store;
        this.partSize = partSize;
    }

    /** The state object's metadata; {@code uploadId} null until the first part. */
    record State(String uploadId, int parts, long partBytes, int undoParts, long undoPartBytes) {
        static final State NONE = new State(null, 0, 0, 0, 0);

        Map<String, String> toMetadata() {
            return Map.of("upload-id", uploadId == null ? "" : uploadId, "parts", Integer.toString(parts),
                    "part-bytes", Long.toString(partBytes), "undo-parts", Integer.toString(undoParts),
                    "undo-part-bytes", Long.toString(undoPartBytes));
        }

        static State fromMetadata(Map<String, String> m) {
            String id = m.getOrDefault("upload-id", "");
            return new State(id.isEmpty() ? null : id, Integer.parseInt(m.getOrDefault("parts", "0")),
                    Long.parseLong(m.getOrDefault("part-bytes", "0")), Integer.parseInt(m.getOrDefault("undo-parts", "0")),
                    Long.parseLong(m.getOrDefault("undo-part-bytes", "0")));
        }
    }

    record Chunk(String key, long offset, long size) {
        long end() { return offset + size; }
    }

    /** What the bucket holds for one key's staging. */
    record View(boolean exists, State state, List<Chunk> chunks) {
        /** The chunks that continue the parts without a gap: the bytes not yet in a part. */
        List<Chunk> tail() { return contiguousFrom(state.partBytes()); }

        List<Chunk> contiguousFrom(long start) {
            List<Chunk> out = new ArrayList<>();
            long pos = start;
            for (Chunk c : chunks) {
                if (c.offset() < pos) continue;
                if (c.offset() > pos) break;
                out.add(c);
                pos = c.end();
            }
            return out;
        }

        long size() { return state.partBytes() + sum(tail()); }
    }

    static long sum(List<Chunk> chunks) {
        return chunks.stream().mapToLong(Chunk::size).sum();
    }

    private static String prefix(String key) { return BlobKeys.staging(key) + "/"; }

    private static String stateKey(String key) { return prefix(key) + "state"; }

    private static String chunkKey(String key, long offset) { return prefix(key) + "c" + String.format("%016d", offset); }

    View load(String key) throws IOException {
        Optional<State> state = store.head(stateKey(key)).map(h -> State.fromMetadata(h.metadata()));
        List<Chunk> chunks = new ArrayList<>();
        String chunkPrefix = prefix(key) + "c";
        for (S3Object o : store.list(chunkPrefix)) {
            String digits = o.key().substring(chunkPrefix.length());
            if (!digits.matches("\\d{16}")) continue;
            chunks.add(new Chunk(o.key(), Long.parseLong(digits), o.size()));
        }
        chunks.sort(Comparator.comparingLong(Chunk::offset));
        return new View(state.isPresent() || !chunks.isEmpty(), state.orElse(State.NONE), chunks);
    }

    long size(String key) throws IOException {
        return load(key).size();
    }

    long append(String key, InputStream in, long maxBytes) throws IOException {
        View view = load(key);
        // Chunks already sent as parts were kept only to undo the previous PATCH; a new PATCH means it stood.
        List<Chunk> tail = view.tail();
        List<Chunk> stale = view.chunks().stream().filter(c -> !tail.contains(c)).toList();
        if (!stale.isEmpty()) store.deleteAll(stale.stream().map(c -> S3Object.builder().key(c.key()).build()).toList());

        State start = view.state();
        State state = start;
        long tailBytes = sum(tail);
        List<Chunk> pending = tail;
        long written = 0;
        while (true) {
            long want = Math.min(Math.max(0, partSize - tailBytes), maxBytes - written);
            byte[] buf;
            int n;
            try {
                Read read = read(in, (int) want);
                buf = read.bytes;
                n = read.length;
            } catch (PartialRead interrupted) {
                // Keep what arrived before the connection broke: tus resumes from it. Unless another
                // node has taken the upload over: then these bytes would land on top of its own.
                if (interrupted.length > 0 && !(interrupted.cause instanceof AppendAbandonedException)) {
                    try {
                        store.putBytes(chunkKey(key, state.partBytes() + tailBytes), interrupted.bytes, interrupted.length,
                                "application/octet-stream");
                    } catch (IOException e) {
                        interrupted.cause.addSuppressed(e);
                    }
                }
                throw interrupted.cause;
            }
            written += n;
            if (tailBytes + n < partSize || (tailBytes == 0 && n == 0)) {
                if (n > 0) store.putBytes(chunkKey(key, state.partBytes() + tailBytes), buf, n, "application/octet-stream");
                return written;
            }
            // A part is full: the waiting chunks, then what this PATCH brought.
            byte[] body = concat(key, pending, buf, n);
            String uploadId = state.uploadId() != null ? state.uploadId() : createUpload(key);
            int number = state.parts() + 1;
            uploadPart(key, uploadId, number, body, body.length);
            state = new State(uploadId, number, state.partBytes() + body.length, start.parts(), start.partBytes());
            writeState(key, state);
            tailBytes = 0;
            pending = List.of();
            if (written == maxBytes) return written;
        }
    }

    void truncate(String key, long size) throws IOException {
        View view = load(key);
        long current = view.size();
        if (size < 0 || size > current) {
            throw new IllegalArgumentException("cannot truncate the staging of " + key + " to " + size + " bytes: " + current + " are staged");
        }
        if (size == current) return;
        State state = view.state();
        if (size >= state.partBytes()) {
            cut(view.chunks(), state.partBytes(), size);
            return;
        }
        // Back into bytes already sent as parts: only as far as where the latest PATCH began.
        long reach = state.undoPartBytes() + sum(view.contiguousFrom(state.undoPartBytes()));
        if (size < state.undoPartBytes() || reach < size) {
            throw new IOException("cannot cut the staging of " + key + " back to " + size + " bytes: bytes up to "
                    + state.partBytes() + " were already sent to S3 as parts, and only the latest append can be undone");
        }
        writeState(key, new State(state.uploadId(), state.undoParts(), state.undoPartBytes(), state.undoParts(), state.undoPartBytes()));
        cut(view.chunks(), state.undoPartBytes(), size);
    }

    /** Drops the chunk bytes from {@code size} on, among the chunks at or after {@code from}. */
    private void cut(List<Chunk> chunks, long from, long size) throws IOException {
        List<S3Object> drop = new ArrayList<>();
        for (Chunk c : chunks) {
            if (c.offset() < from) continue;
            if (c.offset() >= size) {
                drop.add(S3Object.builder().key(c.key()).build());
            } else if (c.end() > size) {
                int keep = (int) (size - c.offset());
                byte[] bytes;
                try (InputStream in = store.open(c.key(), 0, keep)) {
                    bytes = in.readAllBytes();
                }
                store.putBytes(c.key(), bytes, bytes.length, "application/octet-stream");
            }
        }
        if (!drop.isEmpty()) store.deleteAll(drop);
    }

    void commit(String key) throws IOException {
        View view = load(key);
        if (!view.exists()) {
            if (store.head(key).isPresent()) return; // committed by an earlier attempt
            throw new NoSuchFileException(key, null, "nothing is staged for this key");
        }
        State state = view.state();
        List<Chunk> tail = view.tail();
        long total = view.size();
        byte[] last = concat(key, tail, new byte[0], 0);
        if (state.uploadId() == null) {
            store.putBytes(key, last, last.length, BlobKeys.contentType(key));
        } else {
            completeUpload(key, state, last, total);
        }
        store.deleteAll(store.list(prefix(key)));
        log.debug("committed {} ({} bytes, {} part(s))", key, total, state.parts() + (last.length > 0 ? 1 : 0));
    }

    private void completeUpload(String key, State state, byte[] last, long total) throws IOException {
        String uploadId = state.uploadId();
        int count = state.parts();
        try {
            if (last.length > 0) uploadPart(key, uploadId, ++count, last, last.length);
            int parts = count;
            List<Part> listed = new ArrayList<>();
            store.call(() -> {
                store.client().listPartsPaginator(b -> b.bucket(store.bucket()).key(key).uploadId(uploadId)).parts().forEach(listed::add);
                return listed;
            });
            List<CompletedPart> completed = listed.stream().filter(p -> p.partNumber() <= parts)
                    .sorted(Comparator.comparingInt(Part::partNumber)).map(S3Staging::completed).toList();
            long bytes = listed.stream().filter(p -> p.partNumber() <= parts).mapToLong(Part::size).sum();
            if (completed.size() != parts || bytes != total) {
                throw new IOException("the multipart upload of " + key + " holds " + completed.size() + " of " + parts
                        + " parts (" + bytes + " of " + total + " bytes); the staging is inconsistent");
            }
            store.call(() -> store.client().completeMultipartUpload(b -> b.bucket(store.bucket()).key(key).uploadId(uploadId)
                    .multipartUpload(u -> u.parts(completed))));
        } catch (IOException e) {
            if (!(e.getCause() instanceof NoSuchUploadException)) throw e;
            // Completed by an earlier attempt that died before cleaning up the staging.
            long stored = store.head(key).map(h -> h.contentLength()).orElse(-1L);
            if (stored != total) throw new IOException("the multipart upload of " + key + " is gone and the object is not there", e);
        }
    }

    private static CompletedPart completed(Part p) {
        // Parts sent with a checksum must be named with it on completion.
        return CompletedPart.builder().partNumber(p.partNumber()).eTag(p.eTag()).checksumCRC32(p.checksumCRC32())
                .checksumCRC32C(p.checksumCRC32C()).checksumCRC64NVME(p.checksumCRC64NVME())
                .checksumSHA1(p.checksumSHA1()).checksumSHA256(p.checksumSHA256()).build();
    }

    void abort(String key) throws IOException {
        View view = load(key);
        if (view.state().uploadId() != null) abortUpload(key, view.state().uploadId());
        abortUnder(key);
        store.deleteAll(store.list(prefix(key)));
    }

    /**
     * Aborts every multipart upload whose key starts with {@code prefix}, and drops its staging
     * objects. Also catches an upload whose id never reached the state object (a crash right after
     * it was created). Best effort where a store cannot list multipart uploads.
     */
    void abortUnder(String prefix) throws IOException {
        try {
            List<software.amazon.awssdk.services.s3.model.MultipartUpload> uploads = new ArrayList<>();
            store.client().listMultipartUploadsPaginator(b -> b.bucket(store.bucket()).prefix(prefix)).uploads().forEach(uploads::add);
            for (var u : uploads) {
                if (u.key().startsWith(prefix)) abortUpload(u.key(), u.uploadId());
            }
        } catch (S3Exception e) {
            log.debug("listing multipart uploads under {} is not supported here: {}", prefix, e.getMessage());
        } catch (SdkException e) {
            throw new IOException("S3 request failed: " + e.getMessage(), e);
        }
        if (prefix.endsWith("/")) store.deleteAll(store.list(BlobKeys.staging(prefix)));
    }

    private void abortUpload(String key, String uploadId) throws IOException {
        try {
            store.client().abortMultipartUpload(b -> b.bucket(store.bucket()).key(key).uploadId(uploadId));
        } catch (NoSuchUploadException gone) {
            // Already aborted or completed.
        } catch (S3Exception e) {
            if (e.statusCode() != 404) throw new IOException("aborting the multipart upload of " + key + " failed: " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new IOException("aborting the multipart upload of " + key + " failed: " + e.getMessage(), e);
        }
    }

    private String createUpload(String key) throws IOException {
        return store.call(() -> store.client().createMultipartUpload(b -> b.bucket(store.bucket()).key(key)
                .contentType(BlobKeys.contentType(key)))).uploadId();
    }

    private void uploadPart(String key, String uploadId, int number, byte[] body, int length) throws IOException {
        if (number > S3Settings.MAX_PARTS) {
            throw new IOException(key + " needs more than " + S3Settings.MAX_PARTS + " parts of " + partSize
                    + " bytes; raise s3.part-size-mb");
        }
        store.call(() -> store.client().uploadPart(b -> b.bucket(store.bucket()).key(key).uploadId(uploadId).partNumber(number)
                .contentLength((long) length), RequestBody.fromByteBuffer(java.nio.ByteBuffer.wrap(body, 0, length))));
    }

    private void writeState(String key, State state) throws IOException {
        store.call(() -> store.client().putObject(b -> b.bucket(store.bucket()).key(stateKey(key)).metadata(state.toMetadata())
                .contentLength(0L), RequestBody.empty()));
    }

    /** The waiting chunks' bytes followed by {@code n} bytes of {@code buf}. */
    private byte[] concat(String key, List<Chunk> chunks, byte[] buf, int n) throws IOException {
        long size = sum(chunks) + n;
        if (size > Integer.MAX_VALUE - 16) throw new IOException("staged tail of " + key + " is too large: " + size);
        byte[] out = new byte[(int) size];
        int pos = 0;
        for (Chunk c : chunks) {
            try (InputStream in = store.open(c.key(), 0, c.size())) {
                int read = in.readNBytes(out, pos, (int) c.size());
                if (read != c.size()) throw new IOException("chunk " + c.key() + " is shorter than listed");
                pos += read;
            }
        }
        System.arraycopy(buf, 0, out, pos, n);
        return out;
    }

    private record Read(byte[] bytes, int length) {}

    private static final class PartialRead extends Exception {
        final byte[] bytes;
        final int length;
        final IOException cause;

        PartialRead(byte[] bytes, int length, IOException cause) {
            super(cause.getMessage(), cause, false, false);
            this.bytes = bytes;
            this.length = length;
            this.cause = cause;
        }
    }

    /** Reads up to {@code want} bytes (fewer only at the end of the stream), growing the buffer as they come. */
    private static Read read(InputStream in, int want) throws PartialRead {
        byte[] buf = new byte[Math.min(want, READ_BUFFER)];
        int n = 0;
        try {
            while (n < want) {
                if (n == buf.length) buf = Arrays.copyOf(buf, (int) Math.min(want, (long) buf.length * 2));
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) break;
                n += r;
            }
        } catch (IOException e) {
            throw new PartialRead(buf, n, e);
        }
        return new Read(buf, n);
    }
}
