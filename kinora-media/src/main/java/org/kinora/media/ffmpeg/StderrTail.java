package org.kinora.media.ffmpeg;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Drains a stream and keeps only its last bytes. ffmpeg can write megabytes of warnings for a
 * broken file; we must keep reading (or the process blocks on a full pipe) but only the end
 * explains the failure.
 */
final class StderrTail {
    static final int DEFAULT_CAPACITY = 64 * 1024;

    private final byte[] ring;
    private long written;

    StderrTail(int capacity) {
        this.ring = new byte[capacity];
    }

    void drain(InputStream in) throws IOException {
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) != -1) {
            append(buf, n);
        }
    }

    synchronized void append(byte[] buf, int n) {
        for (int i = 0; i < n; i++) {
            ring[(int) (written++ % ring.length)] = buf[i];
        }
    }

    synchronized String text() {
        int size = (int) Math.min(written, ring.length);
        byte[] out = new byte[size];
        int start = (int) ((written - size) % ring.length);
        for (int i = 0; i < size; i++) {
            out[i] = ring[(start + i) % ring.length];
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /** The last few lines, short enough for an exception message. */
    static String lastLines(String text, int maxChars) {
        String trimmed = text.strip();
        return trimmed.length() <= maxChars ? trimmed : "..." + trimmed.substring(trimmed.length() - maxChars);
    }
}
