package org.kinora.server.playback;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the origin sends for one media request: a status, headers, and where the body's bytes come
 * from. {@link MediaAnswers} decides it once; each listener (Jetty's {@link OriginRoutes}, Netty's
 * {@link SendfileOrigin}) only writes it, so the two can never disagree on a header or a status.
 */
record MediaAnswer(int status, Map<String, String> headers, Body body) {
    MediaAnswer {
        // A read-only view, not a copy: this is built per media request, from a map made for it.
        headers = java.util.Collections.unmodifiableMap(headers);
    }

    /** Where the bytes come from. */
    sealed interface Body {}

    /** No body: a HEAD, a 304, a redirect. */
    record None() implements Body {}

    /** Bytes made in memory (a gzipped manifest). */
    record Bytes(byte[] bytes) implements Body {}

    /**
     * A range of an immutable file of the local store: written without copying through the heap
     * (a mapping on Jetty, sendfile(2) on Netty). Only files that never change once written get
     * this body: a blob is replaced by a rename, so a file opened after its stat has those bytes.
     */
    record LocalFile(Path file, org.kinora.core.blob.BlobInfo blob, long offset, long length) implements Body {}

    /** An error answered with the answer's own headers (a 416 says the size in Content-Range): the listener writes it as JSON. */
    record Refused(org.kinora.core.common.KinoraException error) implements Body {}

    /** A range of a blob read through the store (playlists that grow, remote stores). */
    record Stream(String key, long offset, long length) implements Body {}
}
