package org.kinora.media.live.rtmp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RTMP ingest listener ({@code rtmp://host:port/live/STREAMKEY}): one virtual thread per
 * connection, at most {@link RtmpLimits#maxConnections()} at once (more are closed at once).
 *
 * <p>Why Kinora speaks RTMP itself: there is no maintained RTMP server library for Java, and
 * letting ffmpeg listen ({@code -listen 1}) would run the untrusted stream straight into a
 * decoder before any key is checked, one process per port. The part Kinora needs is small
 * (handshake, chunks, six commands); the key is checked before a single media byte is accepted,
 * and what reaches ffmpeg is an FLV stream Kinora rebuilt from messages it has already bounded.
 */
public final class RtmpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RtmpServer.class);

    private final ServerSocket listener;
    private final PublishHandler handler;
    private final RtmpLimits limits;
    private final Semaphore slots;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    private RtmpServer(ServerSocket listener, PublishHandler handler, RtmpLimits limits) {
        this.listener = listener;
        this.handler = handler;
        this.limits = limits;
        this.slots = new Semaphore(limits.maxConnections());
    }

    /** Listens on {@code host:port} (port 0: a free one) and accepts in the background. */
    public static RtmpServer start(String host, int port, PublishHandler handler, RtmpLimits limits) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        try {
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port), 64);
        } catch (IOException e) {
            socket.close();
            throw new IOException("Cannot listen for RTMP on " + host + ":" + port + " (" + e.getMessage()
                    + "). Set live.rtmp-port to a free port, or live.enabled = false.", e);
        }
        RtmpServer server = new RtmpServer(socket, handler, limits);
        Thread.ofVirtual().name("rtmp-accept").start(server::acceptLoop);
        log.info("RTMP ingest listening on rtmp://{}:{}/live", host, socket.getLocalPort());
        return server;
    }

    public int port() {
        return listener.getLocalPort();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            Socket s;
            try {
                s = listener.accept();
            } catch (IOException e) {
                if (!listener.isClosed()) log.warn("RTMP accept failed", e);
                continue;
            }
            if (!slots.tryAcquire()) {
                log.warn("RTMP connection from {} closed: {} connections are open already", s.getRemoteSocketAddress(), limits.maxConnections());
                closeQuietly(s);
                continue;
            }
            try {
                threads.execute(() -> {
                    try {
                        new RtmpConnection(s, handler, limits).run();
                    } finally {
                        slots.release();
                    }
                });
            } catch (RuntimeException e) {
                slots.release();
                closeQuietly(s);
            }
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing a refused socket: nothing to do
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        threads.shutdownNow();
    }
}
