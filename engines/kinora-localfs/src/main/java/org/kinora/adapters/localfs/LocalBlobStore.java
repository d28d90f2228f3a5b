package org.kinora.adapters.localfs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.kinora.core.blob.BlobInfo;
import org.kinora.core.blob.BlobKeys;
import org.kinora.core.blob.BlobStore;

/**
 * Blobs as files under one root directory: key {@code a/b/c} is file {@code root/a/b/c}.
 * Whole-blob writes go to a temporary file first and are renamed into place, so a reader never
 * sees half a segment.
 */
public final class LocalBlobStore implements BlobStore {
    private static final int BUFFER = 256 * 1024;
    private final Path root;

    public LocalBlobStore(Path root) throws IOException {
        this.root = Files.createDirectories(root).toRealPath();
    }

    public Path root() { return root; }

    /** Keys come from {@link org.kinora.core.blob.BlobKeys}, but a path escaping the root is refused all the same. */
    Path pathOf(String key) {
        if (key.isEmpty() || key.startsWith("/") || key.contains("\\") || key.contains("\0")) {
            throw new IllegalArgumentException("invalid blob key: " + key);
        }
        Path p = root.resolve(key).normalize();
        if (!p.startsWith(root) || p.equals(root)) throw new IllegalArgumentException("blob key escapes the store: " + key);
        return p;
    }

    @Override
    public void put(String key, Path file, String contentType) throws IOException {
        Path target = pathOf(key);
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), ".put-", ".tmp");
        try {
            Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
            moveAtomically(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public void put(String key, byte[] bytes, String contentType) throws IOException {
        Path target = pathOf(key);
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), ".put-", ".tmp");
        try {
            Files.write(tmp, bytes);
            moveAtomically(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public Optional<BlobInfo> stat(String key) throws IOException {
        Path p = pathOf(key);
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            if (!a.isRegularFile()) return Optional.empty();
            return Optional.of(new BlobInfo(key, a.size(), a.lastModifiedTime().toInstant()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<Path> localPath(String key) {
        return Optional.of(pathOf(key));
    }

    @Override
    public InputStream open(String key, long offset, long length) throws IOException {
        SeekableByteChannel ch = Files.newByteChannel(pathOf(key), StandardOpenOption.READ);
        ch.position(offset);
        InputStream in = Channels.newInputStream(ch);
        return new BoundedInputStream(in, length);
    }

    /** Staged bytes for {@code key} are one file under {@code uploads/}, renamed into place on commit. */
    private Path stagedPath(String key) {
        pathOf(key);
        return pathOf(BlobKeys.staging(key));
    }

    @Override
    public long stagedSize(String key) throws IOException {
        try {
            return Files.size(stagedPath(key));
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    @Override
    public long appendStaged(String key, InputStream in, long maxBytes) throws IOException {
        Path p = stagedPath(key);
        Files.createDirectories(p.getParent());
        long written = 0;
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
             OutputStream out = Channels.newOutputStream(ch)) {
            byte[] buf = new byte[BUFFER];
            while (written < maxBytes) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, maxBytes - written));
                if (n < 0) break;
                out.write(buf, 0, n);
                written += n;
            }
            ch.force(false);
        }
        return written;
    }

    @Override
    public void truncateStaged(String key, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(stagedPath(key), StandardOpenOption.WRITE)) {
            if (size > ch.size()) throw new IllegalArgumentException("cannot truncate " + key + " to " + size + " bytes: only " + ch.size() + " are staged");
            ch.truncate(size);
        } catch (NoSuchFileException e) {
            if (size != 0) throw e;
        }
    }

    @Override
    public void commitStaged(String key) throws IOException {
        Path to = pathOf(key);
        Path from = stagedPath(key);
        if (!Files.exists(from)) {
            if (Files.exists(to)) return; // already committed by an earlier, interrupted attempt
            throw new NoSuchFileException(key, null, "nothing is staged for this key");
        }
        Files.createDirectories(to.getParent());
        moveAtomically(from, to);
    }

    @Override
    public void abortStaged(String key) throws IOException {
        Files.deleteIfExists(stagedPath(key));
    }

    /**
     * The pieces are copied, in order, into a temporary file beside the target and renamed into
     * place. {@link FileChannel#transferTo} lets the kernel copy (copy_file_range on Linux), so the
     * bytes do not cross the JVM heap; they are still copied once, which a file system without
     * reflinks cannot avoid.
     */
    @Override
    public long concatenate(java.util.List<String> sources, String target) throws IOException {
        Path to = pathOf(target);
        java.util.List<Path> from = sources.stream().map(this::pathOf).toList();
        Files.createDirectories(to.getParent());
        Path tmp = Files.createTempFile(to.getParent(), ".concat-", ".tmp");
        long total = 0;
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                for (Path source : from) {
                    try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
                        long size = in.size();
                        for (long done = 0; done < size; ) done += in.transferTo(done, size - done, out);
                        total += size;
                    }
                }
                out.force(false);
            }
            moveAtomically(tmp, to);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return total;
    }

    @Override
    public Path localFile(String key, Path scratchDir) throws IOException {
        Path p = pathOf(key);
        if (!Files.isRegularFile(p)) throw new NoSuchFileException(key);
        return p;
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(pathOf(key));
    }

    @Override
    public void deletePrefix(String prefix) throws IOException {
        String trimmed = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        deleteTree(pathOf(trimmed));
        // An upload still under way below the prefix (a video deleted mid-upload) goes too.
        deleteTree(pathOf(BlobKeys.staging(trimmed)));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(p);
                } catch (DirectoryNotEmptyException raced) {
                    // A writer added a file meanwhile; what remains is swept on the next delete.
                }
            }
        }
    }

    /** Stops after {@code remaining} bytes. */
    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedInputStream(InputStream in, long remaining) {
            this.in = in;
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) return -1;
            int b = in.read();
            if (b >= 0) remaining--;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) return -1;
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) remaining -= n;
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
