package org.kinora.core.blob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Port: where originals, segments, manifests and thumbnails live. Keys are '/'-separated paths
 * built by {@link BlobKeys}; adapters never see user input as a key.
 *
 * <p>Resumable uploads (tus) are <em>staged</em>: bytes arrive in pieces, over many requests that
 * may reach different Kinora nodes, and are appended to the staged bytes of the blob they will
 * become ({@link #appendStaged}); {@link #commitStaged} turns them into that blob at once. Staged
 * bytes are invisible to {@link #stat} and {@link #open} until then. Staging is addressed by the
 * final key because an S3 multipart upload must name its destination when it starts; adapters keep
 * staged bytes where every node sees them (the local directory, or the bucket itself).
 */
public interface BlobStore {

    /** Stores a whole file under {@code key}, replacing what was there. */
    void put(String key, Path file, String contentType) throws IOException;

    void put(String key, byte[] bytes, String contentType) throws IOException;

    Optional<BlobInfo> stat(String key) throws IOException;

    /**
     * The file that holds {@code key}'s bytes when the store keeps them in a local file the server
     * may read directly (so the origin can hand them to the socket without copying them through a
     * stream), or empty (object stores). Blob files are only ever replaced by a rename, never
     * rewritten in place, so a reader holding the old file keeps consistent bytes.
     */
    default Optional<Path> localPath(String key) {
        return Optional.empty();
    }

    /** Opens {@code length} bytes from {@code offset}; the caller closes the stream. */
    InputStream open(String key, long offset, long length) throws IOException;

    default InputStream open(String key) throws IOException {
        BlobInfo info = stat(key).orElseThrow(() -> new java.io.FileNotFoundException(key));
        return open(key, 0, info.size());
    }

    /** How many bytes are staged for {@code key}: 0 when nothing is. */
    long stagedSize(String key) throws IOException;

    /**
     * Appends up to {@code maxBytes} from {@code in} to the bytes staged for {@code key} and returns
     * how many were appended. If reading {@code in} fails midway, the bytes already appended stay
     * (tus resumes from them) and the exception propagates; but when it fails with
     * {@link AppendAbandonedException}, bytes not yet stored are dropped instead.
     */
    long appendStaged(String key, InputStream in, long maxBytes) throws IOException;

    /**
     * Cuts the staged bytes back to {@code size}: undoes an append whose checksum did not match.
     * {@code size} is never below the staged size before the latest {@link #appendStaged}; an
     * adapter that has already shipped older bytes onward (S3 parts) may refuse to go further back.
     */
    void truncateStaged(String key, long size) throws IOException;

    /**
     * Makes the staged bytes the blob {@code key} and forgets the staging. Calling it again after
     * it succeeded (nothing staged, blob present) does nothing, so an interrupted completion can be
     * retried.
     */
    void commitStaged(String key) throws IOException;

    /** Throws the staged bytes away (tus termination, expiry); nothing staged is fine. */
    void abortStaged(String key) throws IOException;

    /**
     * A local file with the blob's bytes for tools like ffprobe that need a path: the blob itself
     * when the store is a local directory, otherwise a download into {@code scratchDir}.
     */
    Path localFile(String key, Path scratchDir) throws IOException;

    void delete(String key) throws IOException;

    /** Deletes every blob whose key starts with {@code prefix}. */
    void deletePrefix(String prefix) throws IOException;

    /**
     * Writes the bytes of {@code sources}, in order, as the blob {@code target}, all at once: a reader
     * sees no target, or all of it (tus concatenation: the pieces of a parallel upload become the
     * original). The sources stay; the caller deletes them. Calling it again after it succeeded
     * writes the same target again. Returns how many bytes passed through this process: 0 when the
     * store assembled them itself (S3 multipart copy).
     */
    long concatenate(java.util.List<String> sources, String target) throws IOException;
}
