package org.kinora.server.blob;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.adapters.localfs.LocalBlobStore;
import org.kinora.core.blob.BlobStore;

/** The blob-store contract on the local directory adapter. */
@Timeout(60)
class LocalBlobStoreContractIT extends BlobStoreContract {
    @TempDir
    static Path root;

    @BeforeAll
    static void init() throws IOException {
        Files.createDirectories(root.resolve("blobs"));
    }

    @Override
    protected BlobStore newNode() throws IOException {
        return new LocalBlobStore(root.resolve("blobs"));
    }

    @Override
    protected long stagingLeftovers() throws IOException {
        Path uploads = root.resolve("blobs").resolve("uploads");
        if (!Files.exists(uploads)) return 0;
        try (Stream<Path> files = Files.walk(uploads)) {
            return files.filter(Files::isRegularFile).count();
        }
    }
}
