package org.kinora.server.playback;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.kinora.core.blob.BlobStore;
import org.kinora.core.video.Video;
import org.kinora.server.ops.Metrics;
import org.kinora.server.protection.ProtectedMedia;

/**
 * A second listener that serves only {@code /media/...}, on Netty, writing segment and init files
 * with sendfile(2) (issue 17, "Origin speed"; docs/edge.md). Configured by
 * {@code delivery.media-port}; off (0) by default.
 *
 * <p>Why a second listener: on the main listener (Jetty 11 under Javalin) a media request costs
 * about four times nginx's CPU, half of it in the servlet and routing layers and the rest copying
 * the file into the socket; Jetty 11 has no sendfile. Measured side by side on this machine, a
 * bare Jetty handler serving a mapped file reached 0.6x nginx's requests per second on a 180 KB
 * segment and 0.4x on a 1.4 MB one, Netty with a {@code FileRegion} 1.0x and 0.9x. The main
 * listener keeps serving media as before; this one is for CDN shields and viewers pointed at it
 * with {@code delivery.media-url}.
 *
 * <p>What it checks is what the main listener checks, by the same code: {@link MediaAccess} (path,
 * token, the video's state) and {@link MediaAnswers} (headers, ranges, validators, redirects to
 * the store). Videos with rules that the main listener's filters apply (country rules, age
 * restriction, protection: {@code needsMainOrigin}) are not served here but redirected (307) to the
 * same path on the main listener, so no rule has a second implementation to drift.
 */
public final class SendfileOrigin implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SendfileOrigin.class);
    /** Header block and line limits: a media request needs a few hundred bytes; larger is refused (431/414) before any work. */
    static final int MAX_INITIAL_LINE = 4096;
    static final int MAX_HEADER_BYTES = 8192;
    /** A connection that sends nothing for this long is closed (players ask every few seconds). */
    static final int IDLE_SECONDS = 60;

    private final EventLoopGroup loops;
    private final Channel server;

    /**
     * @param needsMainOrigin video ids whose media only the main listener serves (see the class comment)
     * @param mainOrigin scheme and authority of the main listener, for those redirects ({@code server.public-url}, or
     *                   empty: the request's host with {@code mainPort})
     * @param knownHost  the hosts that request's host may be ({@link org.kinora.server.http.ForwardedHeaders#isAllowedHost}); any other is localhost
     */
    SendfileOrigin(String host, int port, MediaAccess access, MediaAnswers answers, BlobStore blobs,
                   Predicate<String> needsMainOrigin, java.util.Optional<String> mainOrigin, java.util.function.IntSupplier mainPort,
                   Predicate<String> knownHost, Metrics metrics) {
        MediaExchange.Shared shared = new MediaExchange.Shared(access, answers, blobs,
                (Video v, String path) -> ProtectedMedia.isOwnPath(path) || needsMainOrigin.test(v.id()), mainOrigin, mainPort, knownHost, metrics);
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        // Linux: the native epoll transport, whose FileRegion is sendfile(2) called from native code and whose
        // event loop makes no selector garbage; measured side by side it is what brings this listener near nginx
        // (docs/edge.md, "The media port"). Elsewhere, or if the native library cannot load, Java's NIO.
        boolean epoll = Epoll.isAvailable();
        this.loops = epoll ? new EpollEventLoopGroup(threads) : new NioEventLoopGroup(threads);
        try {
            this.server = new ServerBootstrap().group(loops).channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(
                                    new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS),
                                    new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_BYTES, 8192),
                                    new HttpServerKeepAliveHandler(),
                                    new MediaExchange(shared));
                        }
                    })
                    .bind(host, port).syncUninterruptibly().channel();
            log.info("media port listening on {}:{} ({})", host, port(), epoll ? "epoll" : "NIO: " + Epoll.unavailabilityCause());
        } catch (RuntimeException e) {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("The media listener could not listen on " + host + ":" + port
                    + " (delivery.media-port): " + e.getMessage() + ". Choose a free port, or 0 to turn it off.", e);
        }
    }

    /** The port it listens on. */
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    boolean isOpen() {
        return server.isActive();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
