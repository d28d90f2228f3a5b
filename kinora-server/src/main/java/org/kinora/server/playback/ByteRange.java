package org.kinora.server.playback;

import java.util.Optional;
import org.kinora.core.common.ErrorKind;
import org.kinora.core.common.KinoraException;

/** One satisfiable byte range of a {@code Range: bytes=...} header (multi-range is not served). */
public record ByteRange(long start, long endInclusive) {

    public long length() { return endInclusive - start + 1; }

    /**
     * Empty when the header is absent or not a single bytes range (serve the whole body, as RFC
     * 9110 allows); 416 when it is a well-formed range the blob cannot satisfy.
     */
    public static Optional<ByteRange> parse(String header, long size) {
        if (header == null || !header.startsWith("bytes=") || header.contains(",")) return Optional.empty();
        String spec = header.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) return Optional.empty();
        try {
            String first = spec.substring(0, dash).trim();
            String last = spec.substring(dash + 1).trim();
            long start;
            long end;
            if (first.isEmpty()) { // suffix: the last N bytes
                long n = Long.parseLong(last);
                if (n <= 0) throw unsatisfiable(size);
                start = Math.max(0, size - n);
                end = size - 1;
            } else {
                start = Long.parseLong(first);
                end = last.isEmpty() ? size - 1 : Math.min(Long.parseLong(last), size - 1);
                if (end < start && !last.isEmpty()) return Optional.empty();
            }
            if (start >= size || size == 0) throw unsatisfiable(size);
            return Optional.of(new ByteRange(start, end));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static KinoraException unsatisfiable(long size) {
        return new KinoraException(ErrorKind.RANGE_NOT_SATISFIABLE, "range_not_satisfiable",
                "The requested range is outside the file (" + size + " bytes).", java.util.Map.of("size", size));
    }
}
