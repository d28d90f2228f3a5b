package org.kinora.server.playback;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.adapters.localfs.LocalBlobStore;
import org.kinora.core.blob.BlobInfo;

/** The origin's mapped segments: the right bytes for whole files and ranges, and a replaced file is never served stale. */
@Timeout(30)
class MappedMediaFilesTest {
    private static final String KEY = "videos/v1/720p/seg_00001.m4s";

    @TempDir
    Path dir;

    @Test
    void servesTheStoredBytesWholeAndInRangesAndAReplacedFileAtOnce() throws Exception {
        LocalBlobStore blobs = new LocalBlobStore(dir);
        MappedMediaFiles mapped = new MappedMediaFiles(16);
        byte[] first = random(200_000, 1);
        blobs.put(KEY, first, "video/iso.segment");
        Path file = blobs.localPath(KEY).orElseThrow();
        BlobInfo info = blobs.stat(KEY).orElseThrow();

        assertThat(bytes(mapped.slice(file, info, 0, info.size()).orElseThrow())).isEqualTo(first);
        assertThat(bytes(mapped.slice(file, info, 100, 100).orElseThrow())).isEqualTo(Arrays.copyOfRange(first, 100, 200));
        assertThat(mapped.slice(file, info, 199_990, 20)).as("past the end").isEmpty();

        // Replaced by the same size (a new file renamed over it, as every blob write does), a second later.
        byte[] second = random(200_000, 2);
        blobs.put(KEY, second, "video/iso.segment");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(1)));
        BlobInfo replaced = blobs.stat(KEY).orElseThrow();
        assertThat(bytes(mapped.slice(file, replaced, 0, replaced.size()).orElseThrow())).isEqualTo(second);
        assertThat(bytes(mapped.slice(file, info, 0, info.size()).orElseThrow()))
                .as("a request that stat'ed the old file still gets complete bytes of one file").hasSize(200_000);
    }

    @Test
    void aFileTooLargeToMapOrGoneIsLeftToTheStreamPath() throws Exception {
        MappedMediaFiles mapped = new MappedMediaFiles(16);
        BlobInfo huge = new BlobInfo(KEY, MappedMediaFiles.MAX_FILE_BYTES + 1, Instant.now());
        assertThat(mapped.slice(dir.resolve("nope"), huge, 0, 10)).isEmpty();
        BlobInfo gone = new BlobInfo(KEY, 10, Instant.now());
        assertThat(mapped.slice(dir.resolve("nope"), gone, 0, 10)).isEmpty();
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] b = new byte[buffer.remaining()];
        buffer.get(b);
        return b;
    }
}
