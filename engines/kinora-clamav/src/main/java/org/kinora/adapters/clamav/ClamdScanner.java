package org.kinora.adapters.clamav;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.kinora.core.scan.MalwareScanner;

/**
 * A client of ClamAV's {@code clamd}: streams the file with the INSTREAM command (chunks of a
 * 4-byte big-endian length and the bytes, ended by a zero length) and reads the one-line verdict
 * ({@code stream: OK}, {@code stream: <signature> FOUND}, or an error such as the size limit).
 * Works over TCP ({@code host:port}) or clamd's unix socket ({@code unix:/path}). The whole
 * exchange has one deadline: a watchdog closes the socket when it passes, so a stuck clamd ends
 * the scan with an error instead of holding a worker.
 */
public final class ClamdScanner implements MalwareScanner {
    private static final int CHUNK = 64 * 1024;
    private static final int MAX_REPLY = 4096;

    private final String address;
    private final Duration timeout;

    /** @param address {@code host:port} or {@code unix:/path/to/clamd.ctl} */
    public ClamdScanner(String address, Duration timeout) {
        this.address = address;
        this.timeout = timeout;
    }

    @Override
    public Verdict scan(InputStream content) throws IOException {
        String reply = exchange("zINSTREAM\0", channel -> {
            byte[] buf = new byte[CHUNK];
            ByteBuffer header = ByteBuffer.allocate(4);
            int n;
            while ((n = content.readNBytes(buf, 0, buf.length)) > 0) {
                header.clear();
                header.putInt(n).flip();
                writeFully(channel, header);
                writeFully(channel, ByteBuffer.wrap(buf, 0, n));
            }
            header.clear();
            header.putInt(0).flip();
            writeFully(channel, header);
        });
        return parse(reply);
    }

    /** The verdict in clamd's reply to INSTREAM; an error reply is an IOException saying what clamd said. */
    static Verdict parse(String reply) throws IOException {
        String r = reply.strip();
        if (r.startsWith("stream:")) r = r.substring("stream:".length()).strip();
        if (r.equals("OK")) return Verdict.CLEAN;
        if (r.endsWith(" FOUND")) return new Verdict(true, r.substring(0, r.length() - " FOUND".length()).strip());
        if (r.contains("size limit exceeded")) {
            throw new IOException("clamd refused the file: it is larger than its StreamMaxLength (raise StreamMaxLength in clamd.conf): " + r);
        }
        throw new IOException("clamd could not scan the file: " + r);
    }

    @Override
    public boolean isReachable() {
        try {
            return exchange("zPING\0", channel -> {}).strip().equals("PONG");
        } catch (IOException e) {
            return false;
        }
    }

    @FunctionalInterface
    private interface Body {
        void write(SocketChannel channel) throws IOException;
    }

    private String exchange(String command, Body body) throws IOException {
        AtomicBoolean done = new AtomicBoolean();
        try (SocketChannel channel = open()) {
            Thread watchdog = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(timeout);
                    if (!done.get()) channel.close();
                } catch (InterruptedException | IOException ignored) {
                    // the exchange ended first
                }
            });
            try {
                writeFully(channel, ByteBuffer.wrap(command.getBytes(StandardCharsets.US_ASCII)));
                try {
                    body.write(channel);
                } catch (IOException writing) {
                    // clamd answers and hangs up when the stream passes its size limit: its reply says why.
                    String reply = channel.isOpen() ? readReply(channel) : "";
                    if (reply.isBlank()) throw writing;
                    return reply;
                }
                return readReply(channel);
            } catch (IOException e) {
                if (!channel.isOpen()) throw new IOException("clamd at " + address + " did not answer within " + timeout.toSeconds() + " s", e);
                throw new IOException("talking to clamd at " + address + " failed: " + e.getMessage(), e);
            } finally {
                done.set(true);
                watchdog.interrupt();
            }
        }
    }

    private SocketChannel open() throws IOException {
        SocketAddress target;
        SocketChannel channel;
        if (address.startsWith("unix:")) {
            target = UnixDomainSocketAddress.of(Path.of(address.substring("unix:".length())));
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        } else {
            int colon = address.lastIndexOf(':');
            String host = address.substring(0, colon).replace("[", "").replace("]", "");
            target = new InetSocketAddress(host, Integer.parseInt(address.substring(colon + 1)));
            channel = SocketChannel.open();
        }
        try {
            channel.connect(target);
            return channel;
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot reach clamd at " + address + " (clamav.clamd): " + e.getMessage(), e);
        }
    }

    private static void writeFully(SocketChannel channel, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) channel.write(buf);
    }

    /** Up to the NUL that ends a z-command's reply (or end of stream). */
    private static String readReply(SocketChannel channel) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(MAX_REPLY);
        while (buf.hasRemaining()) {
            int n = channel.read(buf);
            if (n < 0) break;
            byte[] arr = buf.array();
            for (int i = buf.position() - n; i < buf.position(); i++) {
                if (arr[i] == 0) return new String(arr, 0, i, StandardCharsets.UTF_8);
            }
        }
        return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
    }
}
