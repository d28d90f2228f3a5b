package org.kinora.media.live.srt;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.kinora.media.ffmpeg.Ffmpeg;
import org.kinora.media.live.rtmp.PublishHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SRT ingest for one channel. There is no SRT library for Java, but the bundled ffmpeg has
 * libsrt: ffmpeg listens on the channel's port with the channel's passphrase, and libsrt refuses
 * a caller with another passphrase during the handshake (the key exchange), before a single
 * media packet is accepted. What an authenticated caller sends (MPEG-TS) is only remuxed, never
 * decoded, to FLV on ffmpeg's stdout ({@code -c copy}); Kinora reads those tags and hands them to
 * the same {@link PublishHandler} as RTMP publishers (admission, ladder, recording, reconnects).
 * One ffmpeg per channel and port; after a caller leaves, the listener starts again.
 */
public final class SrtListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SrtListener.class);
    /** The largest FLV tag accepted from ffmpeg's remux (the same bound as an RTMP message). */
    private static final int MAX_TAG = 8 << 20;

    private final Ffmpeg ffmpeg;
    private final String host;
    private final int port;
    private final String passphrase;
    private final String streamKey;
    private final PublishHandler handler;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Process process;

    /** Starts listening at once. {@code passphrase}: 10 to 79 characters (libsrt's rule); {@code streamKey}: what the handler admits. */
    public SrtListener(Ffmpeg ffmpeg, String host, int port, String passphrase, String streamKey, PublishHandler handler) {
        if (passphrase.length() < 10 || passphrase.length() > 79 || !passphrase.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("An SRT passphrase is 10 to 79 URL-safe characters.");
        }
        this.ffmpeg = ffmpeg;
        this.host = host;
        this.port = port;
        this.passphrase = passphrase;
        this.streamKey = streamKey;
        this.handler = handler;
        this.thread = Thread.ofVirtual().name("srt-" + port).start(this::loop);
    }

    public int port() { return port; }

    public String passphrase() { return passphrase; }

    List<String> arguments() {
        return arguments(host, port, passphrase);
    }

    static List<String> arguments(String host, int port, String passphrase) {
        // latency in microseconds (120 ms: SRT's default); pbkeylen 16 = AES-128, what OBS uses by default.
        String url = "srt://" + host + ":" + port + "?mode=listener&passphrase=" + passphrase + "&pbkeylen=16&latency=120000";
        // A short probe: ffmpeg's default 5 s of analysis would hold the first 5 s of the live back before any part exists.
        return List.of("-hide_banner", "-nostdin", "-loglevel", "error", "-protocol_whitelist", "srt", "-format_whitelist", "mpegts",
                "-analyzeduration", "1500000", "-probesize", "2000000", "-f", "mpegts", "-i", url, "-map", "0:v:0", "-map", "0:a:0?", "-c", "copy", "-f", "flv", "-flvflags", "no_duration_filesize",
                "pipe:1");
    }

    private void loop() {
        while (!closed) {
            try {
                Process p = ffmpeg.processBuilder(arguments()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
                process = p;
                try (InputStream out = p.getInputStream()) {
                    serve(new DataInputStream(new BufferedInputStream(out, 1 << 16)));
                } finally {
                    p.destroyForcibly();
                    p.waitFor();
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (!closed) log.warn("SRT listener on port {}: {}", port, e.toString());
            }
            if (closed) return;
            try {
                Thread.sleep(1000); // a caller that left (or ffmpeg that failed) does not make a busy loop
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Reads one caller's FLV (header, then tags) and feeds it to the handler until the caller leaves. */
    private void serve(DataInputStream in) throws IOException {
        byte[] header = new byte[13]; // FLV header (9) + the first previous-tag-size (4)
        try {
            in.readFully(header); // blocks until a caller passed the handshake and ffmpeg wrote its output header
        } catch (EOFException noCaller) {
            return;
        }
        if (header[0] != 'F' || header[1] != 'L' || header[2] != 'V') throw new IOException("ffmpeg did not write FLV");
        PublishHandler.Decision d = handler.publish("live", streamKey, "srt:" + port);
        if (d instanceof PublishHandler.Refused r) {
            log.info("SRT caller on port {} refused: {}", port, r.reason());
            return;
        }
        PublishHandler.Publisher publisher = ((PublishHandler.Accepted) d).publisher();
        String reason = "the SRT caller left";
        try {
            byte[] tagHeader = new byte[11];
            while (true) {
                try {
                    in.readFully(tagHeader);
                } catch (EOFException end) {
                    break;
                }
                int type = tagHeader[0] & 0x1F;
                int size = (tagHeader[1] & 0xFF) << 16 | (tagHeader[2] & 0xFF) << 8 | tagHeader[3] & 0xFF;
                long ts = (tagHeader[7] & 0xFFL) << 24 | (tagHeader[4] & 0xFFL) << 16 | (tagHeader[5] & 0xFFL) << 8 | tagHeader[6] & 0xFFL;
                if (size > MAX_TAG) throw new IOException("an FLV tag of " + size + " bytes");
                byte[] body = new byte[size];
                in.readFully(body);
                in.readInt(); // previous tag size
                if (type == 8 || type == 9 || type == 18) publisher.media(type, ts, body);
            }
        } catch (PublishHandler.Disconnect e) {
            reason = e.getMessage();
        } catch (IOException e) {
            reason = "the SRT stream broke: " + e.getMessage();
        } finally {
            // SRT has no "unpublish": a caller that leaves is a drop, so the reconnect grace period applies.
            publisher.ended(reason, false);
        }
    }

    @Override
    public void close() {
        closed = true;
        Process p = process;
        if (p != null) p.destroyForcibly();
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
