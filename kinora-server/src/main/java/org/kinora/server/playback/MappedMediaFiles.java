package org.kinora.server.playback;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.kinora.core.blob.BlobInfo;

/**
 * Segments and init files of the local blob store, mapped into memory once and then handed to
 * Jetty as read-only {@link ByteBuffer}s, so the socket write reads the page cache directly.
 *
 * <p>Why: the stream path read every file into a heap array and wrote that array through Jetty,
 * which copies heap bytes once more into a direct buffer for the socket: two copies in Java plus
 * the kernel's, per request. Profiling the origin at 256 connections (docs/edge.md, "Figures")
 * showed that copy loop as the largest single cost of a 1.4 MB segment. nginx's sendfile makes no
 * copy in user space; a mapping reused across requests comes closest on Jetty 11 (which has no
 * sendfile): no read syscall, no page faults after the first request, one copy by the kernel.
 *
 * <p>Safety: only files that never change once written are mapped (segments, init files), and
 * blob files are replaced by a rename, never rewritten or truncated in place (see
 * {@code BlobStore.localPath}), so a mapping always shows complete, consistent bytes, those of
 * the file when it was mapped. Each request still stats the blob: a size or modification time
 * different from the mapping's maps the new file, and a missing blob is a 404 before this class is
 * asked. Access checks (token, video state, country) all happen before, per request; this only
 * decides how bytes already allowed reach the socket.
 *
 * <p>Bounds: files up to {@link #MAX_FILE_BYTES}; at most {@code maxEntries} mappings (then all are
 * dropped and the hot ones mapped again; a dropped mapping is released when the GC collects it).
 * A mapping cost is address space, not memory: the page cache holds the bytes either way.
 */
final class MappedMediaFiles {
    static final long MAX_FILE_BYTES = 64L * 1024 * 1024;

    private record Mapped(long size, Instant lastModified, MappedByteBuffer bytes) {}

    private final Map<String, Mapped> mapped = new ConcurrentHashMap<>();
    private final int maxEntries;

    MappedMediaFiles(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /**
     * {@code length} bytes from {@code offset} of {@code file}, whose stat is {@code blob}, as a
     * buffer of its own (position 0), or empty when the file is too large to map or vanished.
     */
    Optional<ByteBuffer> slice(Path file, BlobInfo blob, long offset, long length) throws IOException {
        if (blob.size() > MAX_FILE_BYTES || offset < 0 || length < 0 || offset + length > blob.size()) return Optional.empty();
        Mapped m = mapped.get(blob.key());
        if (m == null || m.size() != blob.size() || !m.lastModified().equals(blob.lastModified())) {
            m = map(file, blob);
            if (m == null) return Optional.empty();
        }
        // A view of its own per request: position and limit are per buffer, the bytes are shared and read-only.
        return Optional.of(m.bytes().slice((int) offset, (int) length));
    }

    int size() {
        return mapped.size();
    }

    private Mapped map(Path file, BlobInfo blob) throws IOException {
        MappedByteBuffer bytes;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            // The size stat reported: a file replaced since (a new inode under the same name) is caught by the next request's stat.
            if (ch.size() < blob.size()) return null;
            bytes = ch.map(FileChannel.MapMode.READ_ONLY, 0, blob.size()); // the mapping outlives the channel
        } catch (NoSuchFileException gone) {
            return null;
        }
        if (mapped.size() >= maxEntries) mapped.clear(); // rare; the hot files are mapped again by the next requests
        Mapped m = new Mapped(blob.size(), blob.lastModified(), bytes);
        mapped.put(blob.key(), m);
        return m;
    }
}
