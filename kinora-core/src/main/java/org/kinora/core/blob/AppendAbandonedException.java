package org.kinora.core.blob;

import java.io.IOException;

/**
 * Thrown by the stream given to {@link BlobStore#appendStaged} when the writer lost the right to
 * write (another node took the upload over): the adapter must not store the bytes it still holds
 * in memory, since they would land on top of the new writer's.
 */
public final class AppendAbandonedException extends IOException {
    public AppendAbandonedException(String message) {
        super(message);
    }
}
