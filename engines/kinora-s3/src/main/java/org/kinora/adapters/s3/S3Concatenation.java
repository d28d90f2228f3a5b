package org.kinora.adapters.s3;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.kinora.core.blob.BlobKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Concatenates objects into one (tus concatenation: the pieces of a parallel upload become the
 * original) with a multipart upload whose parts are, wherever S3 allows, server-side copies of the
 * pieces (UploadPartCopy): the bytes never pass through Kinora.
 *
 * <p>S3 wants every part but the last to be at least 5 MiB. A piece (or the rest of one) smaller
 * than that, which is not the last, cannot be a part of its own: its bytes are read through Kinora
 * into a buffer that becomes a part once it holds 5 MiB, topped up, if need be, with the first bytes
 * of the next piece, whose rest is then copied server-side again. So only small pieces, and at most
 * 5 MiB of each following one, are streamed; a part copy takes at most 5 GiB, so larger pieces are
 * copied in ranges. Completing the multipart upload makes the target appear at once; a failure
 * aborts it, leaving the target as it was.
 */
final class S3Concatenation {
    private static final Logger log = LoggerFactory.getLogger(S3Concatenation.class);
    static final long MIN_PART = 5L * 1024 * 1024;
    static final long MAX_COPY_PART = 5L * 1024 * 1024 * 1024;

    private final S3BlobStore store;

    S3Concatenation(S3BlobStore store) {
        this.store = store;
    }

    /** Returns how many bytes were streamed through this process (0: all copied inside the bucket). */
    long run(List<String> sources, String target) throws IOException {
        List<Long> sizes = new ArrayList<>();
        for (String source : sources) {
            sizes.add(store.head(source).orElseThrow(() -> new FileNotFoundException(source)).contentLength());
        }
        if (sizes.stream().mapToLong(Long::longValue).sum() == 0) {
            store.putBytes(target, new byte[0], 0, BlobKeys.contentType(target));
            return 0;
        }
        String uploadId = store.call(() -> store.client().createMultipartUpload(b -> b.bucket(store.bucket()).key(target)
                .contentType(BlobKeys.contentType(target)))).uploadId();
        try {
            Parts parts = new Parts(target, uploadId);
            for (int i = 0; i < sources.size(); i++) {
                String source = sources.get(i);
                long size = sizes.get(i);
                boolean last = i == sources.size() - 1;
                long pos = 0;
                if (parts.buffered() > 0) {
                    // A small piece waits in the buffer: this one's front fills it to a valid part.
                    pos = Math.min(size, MIN_PART - parts.buffered());
                    parts.stream(source, 0, pos);
                    if (parts.buffered() >= MIN_PART) parts.flush();
                }
                long rest = size - pos;
                if (rest == 0) continue;
                if (parts.buffered() == 0 && (rest >= MIN_PART || last)) {
                    parts.copy(source, pos, rest);
                } else {
                    parts.stream(source, pos, rest);
                    if (parts.buffered() >= MIN_PART) parts.flush();
                }
            }
            if (parts.buffered() > 0) parts.flush();
            List<CompletedPart> done = parts.completed;
            store.call(() -> store.client().completeMultipartUpload(b -> b.bucket(store.bucket()).key(target).uploadId(uploadId)
                    .multipartUpload(u -> u.parts(done))));
            log.info("{}: {} pieces concatenated as {} parts; {} bytes copied inside the bucket, {} streamed through Kinora",
                    target, sources.size(), done.size(), parts.copied, parts.streamed);
            return parts.streamed;
        } catch (IOException | RuntimeException e) {
            try {
                store.client().abortMultipartUpload(b -> b.bucket(store.bucket()).key(target).uploadId(uploadId));
            } catch (RuntimeException abortFailed) {
                e.addSuppressed(abortFailed);
            }
            throw e;
        }
    }

    /** The parts of one multipart upload, in order, and the streamed bytes that wait to become one. */
    private final class Parts {
        private final String target;
        private final String uploadId;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        final List<CompletedPart> completed = new ArrayList<>();
        long copied;
        long streamed;

        Parts(String target, String uploadId) {
            this.target = target;
            this.uploadId = uploadId;
        }

        int buffered() { return buffer.size(); }

        /** Server-side copies of {@code length} bytes of {@code source} from {@code offset}, in ranges of at most 5 GiB. */
        void copy(String source, long offset, long length) throws IOException {
            long count = (length + MAX_COPY_PART - 1) / MAX_COPY_PART;
            long each = (length + count - 1) / count; // even ranges: none of them falls below 5 MiB
            for (long from = offset; from < offset + length; from += each) {
                long to = Math.min(offset + length, from + each) - 1;
                String range = "bytes=" + from + "-" + to;
                int number = nextNumber();
                var response = store.call(() -> store.client().uploadPartCopy(b -> b.sourceBucket(store.bucket()).sourceKey(source)
                        .copySourceRange(range).destinationBucket(store.bucket()).destinationKey(target)
                        .uploadId(uploadId).partNumber(number)));
                completed.add(CompletedPart.builder().partNumber(number).eTag(response.copyPartResult().eTag()).build());
                copied += to - from + 1;
            }
        }

        void stream(String source, long offset, long length) throws IOException {
            if (length == 0) return;
            try (InputStream in = store.open(source, offset, length)) {
                in.transferTo(buffer);
            }
            streamed += length;
        }

        void flush() throws IOException {
            byte[] body = buffer.toByteArray();
            buffer.reset();
            int number = nextNumber();
            var response = store.call(() -> store.client().uploadPart(b -> b.bucket(store.bucket()).key(target).uploadId(uploadId)
                    .partNumber(number).contentLength((long) body.length), RequestBody.fromBytes(body)));
            completed.add(CompletedPart.builder().partNumber(number).eTag(response.eTag()).build());
        }

        private int nextNumber() throws IOException {
            if (completed.size() >= S3Settings.MAX_PARTS) {
                throw new IOException(target + " would need more than " + S3Settings.MAX_PARTS + " parts");
            }
            return completed.size() + 1;
        }
    }
}
