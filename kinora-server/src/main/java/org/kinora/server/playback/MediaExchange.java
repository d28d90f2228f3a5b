package org.kinora.server.playback;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import org.kinora.core.blob.BlobStore;
import org.kinora.core.common.KinoraException;
import org.kinora.core.video.Video;
import org.kinora.server.http.ApiError;
import org.kinora.server.http.HttpDates;
import org.kinora.server.http.Json;
import org.kinora.server.ops.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection of the {@link SendfileOrigin}: requests are answered one at a time, in order.
 *
 * <p>The common request, a local file of a video read less than a second ago, is answered on the
 * event loop itself (a stat and the answer's headers, as nginx's workers do; two thread hand-offs
 * per request cost more than its checks). Any other answer is computed on a virtual thread of its
 * own, because its checks may wait (the video's state is read from the database at most once a
 * second, a bucket is asked), and an event loop must never wait; meanwhile the connection reads
 * nothing more (auto-read off). Either way the next request is taken only once an answer is
 * written, so pipelined requests queue here and are answered in the order they came; at most
 * {@link #MAX_PIPELINED} may wait, beyond that the connection is closed. Bodies are written by the
 * event loop: a segment as a {@link DefaultFileRegion} (sendfile(2), no copy in user space), other
 * bodies from memory or in 64 KiB pieces read on a virtual thread.
 */
final class MediaExchange extends SimpleChannelInboundHandler<HttpObject> {
    private static final Logger log = LoggerFactory.getLogger(MediaExchange.class);
    static final String ROUTE = "/media/{token}/{videoId}/<path> (media port)";
    static final int MAX_PIPELINED = 16;
    private static final byte[] NO_BYTES = new byte[0];
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = Json.mapper();

    /** What every connection shares. */
    record Shared(MediaAccess access, MediaAnswers answers, BlobStore blobs, BiPredicate<Video, String> needsMainOrigin,
                  Optional<String> mainOrigin, java.util.function.IntSupplier mainPort, java.util.function.Predicate<String> knownHost,
                  Metrics metrics, boolean localStore) {
        Shared(MediaAccess access, MediaAnswers answers, BlobStore blobs, BiPredicate<Video, String> needsMainOrigin,
               Optional<String> mainOrigin, java.util.function.IntSupplier mainPort, java.util.function.Predicate<String> knownHost,
               Metrics metrics) {
            // Whether files are local, asked once: a stat and the answer (a small playlist gzipped in memory included) may then
            // run on an event loop (as nginx's do); a bucket's never.
            this(access, answers, blobs, needsMainOrigin, mainOrigin, mainPort, knownHost, metrics, blobs.localPath(org.kinora.core.blob.BlobKeys.master("x")).isPresent());
        }
    }

    private final Shared shared;
    private final boolean inline;
    /** Touched by the event loop only. */
    private final ArrayDeque<HttpRequest> waiting = new ArrayDeque<>();
    private boolean busy;

    MediaExchange(Shared shared) {
        super(true);
        this.shared = shared;
        this.inline = shared.localStore();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
        if (!(msg instanceof HttpRequest request)) return; // a body sent with a GET: read and dropped by the codec
        if (request.decoderResult().isFailure()) {
            Throwable cause = request.decoderResult().cause();
            HttpResponseStatus status = cause instanceof TooLongHttpHeaderException ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                    : cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG : HttpResponseStatus.BAD_REQUEST;
            FullBody body = json(new ApiError("bad_request", "The request could not be read as HTTP/1.1: " + (cause instanceof TooLongFrameException
                    ? "its request line or headers are too long" : "malformed") + ".", Map.of()));
            DefaultFullHttpResponse refused = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body.bytes()));
            common(refused.headers());
            refused.headers().set("Content-Type", body.type()).set("Content-Length", body.bytes().length).set("Connection", "close");
            ctx.writeAndFlush(refused).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (waiting.size() >= MAX_PIPELINED) {
            ctx.close();
            return;
        }
        waiting.add(request);
        if (!busy) next(ctx);
    }

    /** Answers the next waiting request, or reads again when none waits. On the event loop. */
    private void next(ChannelHandlerContext ctx) {
        HttpRequest request = waiting.poll();
        if (request == null) {
            busy = false;
            ctx.channel().config().setAutoRead(true);
            return;
        }
        busy = true;
        // The common case, a hot video's file on local disk, is answered right here: no thread hand-off (two wake-ups per
        // request cost more CPU than the checks). Whatever might wait goes to a virtual thread.
        Optional<Video> hot = inline ? withoutWaiting(request) : Optional.empty();
        if (hot.isPresent()) {
            answer(ctx, request, hot.get()).addListener(f -> afterAnswer(ctx, f.isSuccess()));
            return;
        }
        ctx.channel().config().setAutoRead(false);
        Thread.ofVirtual().name("media-port").start(() -> answer(ctx, request, null).addListener(f -> afterAnswer(ctx, f.isSuccess())));
    }

    /** On the event loop, once an answer's last byte is written (or failed). */
    private void afterAnswer(ChannelHandlerContext ctx, boolean written) {
        if (written && ctx.channel().isActive()) next(ctx);
        else ctx.close();
    }

    /** The video of a GET or HEAD that {@link MediaAccess#checkWithoutWaiting} allows, for a file served as is. */
    private Optional<Video> withoutWaiting(HttpRequest request) {
        if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) return Optional.empty();
        Optional<String[]> parts = MediaPaths.split(request.uri());
        if (parts.isEmpty()) return Optional.empty();
        String path = parts.get()[2];
        Optional<Video> video = shared.access().checkWithoutWaiting(parts.get()[0], parts.get()[1], path);
        return video.filter(v -> !shared.needsMainOrigin().test(v, path));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) ctx.close();
        else super.userEventTriggered(ctx, event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A viewer who went away mid-segment (connection reset, broken pipe) is no error of ours.
        if (!(cause instanceof IOException)) log.warn("media port: connection closed after an error", cause);
        ctx.close();
    }

    /**
     * Computes and writes one answer; the future completes when its last byte is written. On a
     * virtual thread, or on the event loop when {@code allowed} is the video already checked.
     */
    private ChannelFuture answer(ChannelHandlerContext ctx, HttpRequest request, Video allowed) {
        long started = System.nanoTime();
        boolean head = request.method() == HttpMethod.HEAD;
        int status = 500;
        try {
            if (request.method() == HttpMethod.OPTIONS) {
                status = 204;
                return preflight(ctx);
            }
            if (!head && request.method() != HttpMethod.GET) {
                status = 405;
                return refuse(ctx, request, 405, Map.of("Allow", "GET, HEAD, OPTIONS"),
                        new ApiError("method_not_allowed", request.method() + " is not allowed on the media port; it serves GET and HEAD.", Map.of()));
            }
            Optional<String[]> parts = MediaPaths.split(request.uri());
            if (parts.isEmpty()) {
                status = 404;
                return refuse(ctx, request, 404, Map.of(),
                        new ApiError("not_found", "The media port serves /media/{token}/{videoId}/{file} only, not " + MediaPaths.pathOf(request.uri()) + ".", Map.of()));
            }
            String token = parts.get()[0], videoId = parts.get()[1], path = parts.get()[2];
            Video video = allowed != null ? allowed : shared.access().check(token, videoId, path);
            if (shared.needsMainOrigin().test(video, path)) {
                status = 307;
                return redirectToMain(ctx, request);
            }
            MediaAnswer answer = shared.answers().answer(head, video, path, name -> request.headers().get(name));
            status = answer.status();
            return write(ctx, request, answer);
        } catch (KinoraException e) {
            status = ApiError.status(e.kind());
            Object retry = e.details().get("retry_after_seconds");
            return refuse(ctx, request, status, retry == null ? Map.of() : Map.of("Retry-After", retry.toString()), ApiError.of(e));
        } catch (Exception e) {
            if (org.kinora.adapters.postgres.PostgresDatabase.isUnreachable(e)) {
                status = 503;
                log.warn("{} {}: the database is unreachable: {}", request.method(), MediaPaths.pathOf(request.uri()), e.toString());
                return refuse(ctx, request, 503, Map.of("Retry-After", "5"), new ApiError("database_unavailable",
                        "The database is unreachable for the moment; try again in a few seconds (playback goes on).", Map.of()));
            }
            status = 500;
            log.error("{} {} failed on the media port", request.method(), MediaPaths.pathOf(request.uri()), e);
            return refuse(ctx, request, 500, Map.of(), new ApiError("internal_error", "Something went wrong on the server; it has been logged.", Map.of()));
        } finally {
            shared.metrics().httpRequest(request.method().name(), ROUTE, status, System.nanoTime() - started);
        }
    }

    private ChannelFuture write(ChannelHandlerContext ctx, HttpRequest request, MediaAnswer answer) throws IOException {
        // Header validation off for this, the hot path's response: every name and value is Kinora's own (MediaAnswers, common()).
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(answer.status()), false);
        common(response.headers());
        answer.headers().forEach(response.headers()::set);
        switch (answer.body()) {
            case MediaAnswer.Refused refused -> {
                return refuse(ctx, request, answer.status(), answer.headers(), ApiError.of(refused.error()));
            }
            case MediaAnswer.None none -> {
                if (!response.headers().contains("Content-Length") && answer.status() != 304) response.headers().set("Content-Length", 0);
                ctx.write(response);
                return ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            }
            case MediaAnswer.Bytes bytes -> {
                ctx.write(response);
                return ctx.writeAndFlush(new io.netty.handler.codec.http.DefaultLastHttpContent(Unpooled.wrappedBuffer(bytes.bytes())));
            }
            case MediaAnswer.LocalFile file -> {
                // Corked while the headers and the file go out, as nginx's tcp_nopush: with TCP_NODELAY alone the header block
                // leaves as a packet of its own ahead of the body, which costs both ends a wake-up and the network a packet per
                // request (measured: the load generator used 40 % more CPU per answer than nginx's). Uncorking sends the tail.
                boolean corked = cork(ctx, true);
                ctx.write(response);
                ctx.write(new DefaultFileRegion(file.file().toFile(), file.offset(), file.length())); // opened when sent, closed after
                ChannelFuture sent = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                if (corked) sent.addListener(f -> cork(ctx, false));
                return sent;
            }
            case MediaAnswer.Stream stream -> {
                // Opened before the headers go out: a failure here is still a clean error answer.
                InputStream in = shared.blobs().open(stream.key(), stream.offset(), stream.length());
                ctx.write(response);
                if (!ctx.executor().inEventLoop()) return pipe(ctx, in);
                // The copy waits on each piece's write, which an event loop may not do.
                ChannelPromise done = ctx.newPromise();
                Thread.ofVirtual().name("media-port-stream").start(() -> pipe(ctx, in).addListener(f -> {
                    if (f.isSuccess()) done.setSuccess();
                    else done.setFailure(f.cause());
                }));
                return done;
            }
        }
    }

    /** Sets TCP_CORK on the native transport's socket; false where there is none (NIO) or the connection is gone. */
    private static boolean cork(ChannelHandlerContext ctx, boolean on) {
        if (!(ctx.channel() instanceof io.netty.channel.epoll.EpollSocketChannel socket) || !socket.isActive()) return false;
        try {
            return socket.config().setOption(io.netty.channel.epoll.EpollChannelOption.TCP_CORK, on);
        } catch (io.netty.channel.ChannelException closedMeanwhile) {
            return false;
        }
    }

    /** The rest of a body from {@code in}, 64 KiB at a time. On a virtual thread. */
    private static ChannelFuture pipe(ChannelHandlerContext ctx, InputStream in) {
        try (in) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.readNBytes(buffer, 0, buffer.length)) > 0; ) {
                // One piece in flight at a time: memory stays at one buffer however slow the viewer.
                ChannelFuture sent = ctx.writeAndFlush(Unpooled.copiedBuffer(buffer, 0, n)).awaitUninterruptibly();
                if (!sent.isSuccess()) return sent;
            }
        } catch (IOException e) {
            // The headers are out: all that is left is to end the connection so the client sees a short body.
            ctx.close();
            return ctx.newFailedFuture(e);
        }
        return ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    /** An error as the main listener writes it: JSON (no body for HEAD), with the CORS headers players need to read it. */
    private ChannelFuture refuse(ChannelHandlerContext ctx, HttpRequest request, int status, Map<String, String> headers, ApiError error) {
        FullBody body = request.method() == HttpMethod.HEAD ? new FullBody(NO_BYTES, "application/json") : json(error);
        DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(body.bytes()));
        common(response.headers());
        headers.forEach(response.headers()::set);
        response.headers().set("Content-Type", body.type()).set("Content-Length", body.bytes().length);
        return ctx.writeAndFlush(response);
    }

    private ChannelFuture preflight(ChannelHandlerContext ctx) {
        DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
        common(response.headers());
        response.headers().set("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
                .set("Access-Control-Allow-Headers", org.kinora.server.cors.MediaCors.REQUEST_HEADERS)
                .set("Access-Control-Max-Age", "86400").set("Allow", "GET, HEAD, OPTIONS");
        return ctx.writeAndFlush(response);
    }

    /**
     * The same path on the main listener, which applies the rules this one leaves to it. Never
     * stored by a cache: the video's rules may change, and the target depends on the request's host.
     */
    private ChannelFuture redirectToMain(ChannelHandlerContext ctx, HttpRequest request) {
        String origin = shared.mainOrigin().orElseGet(() -> "http://" + mainHost(request) + ":" + shared.mainPort().getAsInt());
        DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.TEMPORARY_REDIRECT);
        common(response.headers());
        response.headers().set("Location", origin + MediaPaths.pathOf(request.uri())).set("Cache-Control", "no-store").set("Content-Length", 0);
        return ctx.writeAndFlush(response);
    }

    /** The Host header's name when it is one of ours (loopback, the bind address, server.allowed-hosts), else localhost: never what a client made up. */
    private String mainHost(HttpRequest request) {
        String host = MediaPaths.hostOnly(request.headers().get("Host"));
        return shared.knownHost().test(host) ? host : "localhost";
    }

    /** The Date header's text, made once a second rather than per request (as nginx does). */
    private record Now(long second, String text) {}

    private static volatile Now now = new Now(0, "");

    private static String date() {
        long second = System.currentTimeMillis() / 1000;
        Now n = now;
        if (n.second() != second) now = n = new Now(second, HttpDates.format(Instant.ofEpochSecond(second)));
        return n.text();
    }

    /** Headers of every answer, as the main listener's media filters set them (MediaCors, RequestHardening). */
    private static void common(HttpHeaders h) {
        h.set("Date", date());
        h.set("Access-Control-Allow-Origin", "*");
        h.set("Timing-Allow-Origin", "*");
        h.set("Access-Control-Expose-Headers", org.kinora.server.cors.MediaCors.EXPOSED_HEADERS);
        h.set("X-Content-Type-Options", "nosniff");
    }

    private record FullBody(byte[] bytes, String type) {}

    private static FullBody json(ApiError error) {
        try {
            return new FullBody(JSON.writeValueAsBytes(error), "application/json");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return new FullBody(("{\"code\":\"" + error.code() + "\"}").getBytes(StandardCharsets.UTF_8), "application/json");
        }
    }
}
