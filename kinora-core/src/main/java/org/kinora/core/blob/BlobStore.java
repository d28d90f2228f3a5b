package org.kinora.core.blob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Port: where originals, segments, manifests and thumbnails live. Keys are '/'-separated paths
 * built by {@link BlobKeys}; adapters never see user input as a key.
 *
 * <p>Resumable uploads append to a staging blob ({@link #append}) and move it into place when
 * complete ({@link #move}); an S3 adapter maps this onto multipart uploads.
 */
public interface BlobStore {

    /** Stores a whole file under {@code key}, replacing what was there. */
    void put(String key, Path file, String contentType) throws IOException;

    void put(String key, byte[] bytes, String contentType) throws IOException;

    Optional<BlobInfo> stat(String key) throws IOException;

    /** Opens {@code length} bytes from {@code offset}; the caller closes the stream. */
    InputStream open(String key, long offset, long length) throws IOException;

    default InputStream open(String key) throws IOException {
        BlobInfo info = stat(key).orElseThrow(() -> new java.io.FileNotFoundException(key));
        return open(key, 0, info.size());
    }

    /**
     * Appends up to {@code maxBytes} from {@code in} to the blob (creating it when absent) and
     * returns how many bytes were appended. If reading {@code in} fails midway, the bytes already
     * appended stay (tus resumes from them) and the exception propagates.
     */
    long append(String key, InputStream in, long maxBytes) throws IOException;

    /** Cuts the blob back to {@code size} bytes: undoes an append whose checksum did not match. */
    void truncate(String key, long size) throws IOException;

    void move(String fromKey, String toKey) throws IOException;

    /**
     * A local file with the blob's bytes for tools like ffprobe that need a path: the blob itself
     * when the store is a local directory, otherwise a download into {@code scratchDir}.
     */
    Path localFile(String key, Path scratchDir) throws IOException;

    void delete(String key) throws IOException;

    /** Deletes every blob whose key starts with {@code prefix}. */
    void deletePrefix(String prefix) throws IOException;
}
