package org.kinora.media.live;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Rebuilds an FLV byte stream from the tags an RTMP publisher sent (an RTMP audio/video/data
 * message body is an FLV tag body). This is all ffmpeg ever reads of a live: a container it
 * opens with {@code -f flv} from its stdin, never the publisher's socket.
 */
public final class FlvWriter {
    private final OutputStream out;
    private final byte[] header = new byte[11];

    /** Writes the FLV header (audio and video flagged) at once. */
    public FlvWriter(OutputStream out) throws IOException {
        this(out, true);
    }

    private FlvWriter(OutputStream out, boolean header) throws IOException {
        this.out = out;
        if (header) out.write(new byte[] {'F', 'L', 'V', 1, 5, 0, 0, 0, 9, 0, 0, 0, 0});
    }

    /** One tag: type 8 audio, 9 video, 18 script data. */
    public void tag(int type, long timestampMillis, byte[] body) throws IOException {
        int n = body.length;
        header[0] = (byte) type;
        header[1] = (byte) (n >>> 16);
        header[2] = (byte) (n >>> 8);
        header[3] = (byte) n;
        header[4] = (byte) (timestampMillis >>> 16);
        header[5] = (byte) (timestampMillis >>> 8);
        header[6] = (byte) timestampMillis;
        header[7] = (byte) (timestampMillis >>> 24);
        header[8] = header[9] = header[10] = 0;
        out.write(header);
        out.write(body);
        int size = 11 + n;
        out.write(new byte[] {(byte) (size >>> 24), (byte) (size >>> 16), (byte) (size >>> 8), (byte) size});
    }

    /** The bytes {@link #tag} writes: the 11-byte header, the body and the previous-tag-size field. */
    public static byte[] tagBytes(int type, long timestampMillis, byte[] body) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream(body.length + 15);
        try {
            new FlvWriter(b, false).tag(type, timestampMillis, body);
        } catch (IOException e) {
            throw new IllegalStateException(e); // a byte array does not fail
        }
        return b.toByteArray();
    }

    public void flush() throws IOException {
        out.flush();
    }
}
