package org.kinora.media.live.rtmp;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RTMP publisher: the plain (version 3) handshake, the chunk stream, and the commands a
 * publisher sends ({@code connect}, {@code releaseStream}, {@code FCPublish}, {@code createStream},
 * {@code publish}, {@code FCUnpublish}, {@code deleteStream}). Playing is not offered. The stream
 * key is checked at {@code publish}, before any media is accepted; a refusal is
 * {@code NetStream.Publish.BadName} and the connection closes.
 *
 * <p>ffmpeg and librtmp (OBS) accept the plain handshake: they check the server's digest only
 * when playing, and only when the server announces a Flash version in S1, which this one does not.
 */
final class RtmpConnection implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(RtmpConnection.class);
    private static final int HANDSHAKE_SIZE = 1536;
    private static final int MAX_CHUNK_STREAMS = 32;
    private static final int OUR_WINDOW = 2_500_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Socket socket;
    private final PublishHandler handler;
    private final RtmpLimits limits;
    private DataInputStream in;
    private OutputStream out;
    private int inChunkSize = 128;
    private final Map<Integer, ChunkStream> chunkStreams = new HashMap<>();
    private String app = "";
    private PublishHandler.Publisher publisher;
    private long bytesRead;
    private long peerWindow;
    private long lastAck;
    private long windowStartNanos;
    private long windowBytes;

    /** The state of one chunk stream: the last header and the message being assembled. */
    private static final class ChunkStream {
        long timestamp;
        long delta;
        int length;
        int type;
        int streamId;
        boolean extended;
        byte[] message;
        int filled;
    }

    RtmpConnection(Socket socket, PublishHandler handler, RtmpLimits limits) {
        this.socket = socket;
        this.handler = handler;
        this.limits = limits;
    }

    @Override
    public void run() {
        String reason = "the publisher disconnected";
        boolean unpublished = false;
        try (socket) {
            socket.setSoTimeout((int) limits.handshakeTimeout().toMillis());
            socket.setTcpNoDelay(true);
            in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 65_536));
            out = new BufferedOutputStream(socket.getOutputStream(), 8192);
            long deadline = System.nanoTime() + limits.handshakeTimeout().toNanos();
            handshake();
            while (true) {
                if (publisher == null && System.nanoTime() > deadline) {
                    throw new RtmpProtocolException("no publish within " + limits.handshakeTimeout().toSeconds() + " s");
                }
                if (!readChunk()) {
                    unpublished = publisher != null;
                    reason = "the publisher ended the stream";
                    break;
                }
            }
        } catch (EOFException e) {
            reason = "the publisher disconnected";
        } catch (SocketTimeoutException e) {
            reason = publisher == null ? "the handshake timed out" : "the publisher sent nothing for " + limits.idleTimeout().toSeconds() + " s";
        } catch (PublishHandler.Disconnect e) {
            reason = e.getMessage();
            log.info("RTMP {} disconnected: {}", socket.getRemoteSocketAddress(), reason);
        } catch (RtmpProtocolException e) {
            reason = "protocol error: " + e.getMessage();
            log.info("RTMP {} closed: {}", socket.getRemoteSocketAddress(), reason);
        } catch (IOException e) {
            reason = "connection error: " + e.getMessage();
        } catch (RuntimeException e) {
            reason = "internal error: " + e;
            log.warn("RTMP {} failed", socket.getRemoteSocketAddress(), e);
        } finally {
            if (publisher != null) {
                try {
                    publisher.ended(reason, unpublished);
                } catch (RuntimeException e) {
                    log.warn("ending the live of {} failed", socket.getRemoteSocketAddress(), e);
                }
            }
        }
    }

    private void handshake() throws IOException {
        int version = in.readUnsignedByte();
        if (version != 3) throw new RtmpProtocolException("RTMP version " + version + " (only 3, plain RTMP, is served)");
        byte[] c1 = new byte[HANDSHAKE_SIZE];
        in.readFully(c1);
        byte[] s1 = new byte[HANDSHAKE_SIZE];
        RANDOM.nextBytes(s1);
        // time = 0 and version = 0: no Flash version, so clients do not look for a server digest.
        for (int i = 0; i < 8; i++) s1[i] = 0;
        out.write(3);
        out.write(s1);
        out.write(c1); // S2 echoes C1
        out.flush();
        in.readFully(new byte[HANDSHAKE_SIZE]); // C2 echoes S1; clients that publish need nothing checked here
    }

    /** Reads one chunk; dispatches the message it completes. False at a clean end (the peer closed after deleteStream). */
    private boolean readChunk() throws IOException {
        int b0 = in.readUnsignedByte();
        count(1);
        int fmt = b0 >>> 6;
        int csid = b0 & 0x3F;
        if (csid == 0) {
            csid = 64 + in.readUnsignedByte();
            count(1);
        } else if (csid == 1) {
            csid = 64 + in.readUnsignedByte() + 256 * in.readUnsignedByte();
            count(2);
        }
        ChunkStream cs = chunkStreams.get(csid);
        if (cs == null) {
            if (chunkStreams.size() >= MAX_CHUNK_STREAMS) throw new RtmpProtocolException("more than " + MAX_CHUNK_STREAMS + " chunk streams");
            if (fmt != 0) throw new RtmpProtocolException("chunk stream " + csid + " starts without a full header");
            cs = new ChunkStream();
            chunkStreams.put(csid, cs);
        }
        boolean starts = cs.message == null;
        if (fmt <= 2) {
            long ts = read24();
            if (fmt <= 1) {
                int length = (int) read24();
                int type = in.readUnsignedByte();
                count(1);
                if (length > limits.maxMessageBytes()) {
                    throw new RtmpProtocolException("message of " + length + " bytes (largest allowed " + limits.maxMessageBytes() + ")");
                }
                cs.length = length;
                cs.type = type;
                if (fmt == 0) {
                    cs.streamId = Integer.reverseBytes(in.readInt());
                    count(4);
                }
            }
            cs.extended = ts == 0xFFFFFF;
            if (cs.extended) {
                ts = in.readInt() & 0xFFFFFFFFL;
                count(4);
            }
            if (fmt == 0) {
                cs.timestamp = ts;
                cs.delta = 0;
            } else {
                cs.delta = ts;
                if (starts) cs.timestamp += ts;
            }
            if (!starts) throw new RtmpProtocolException("a new message header arrived before the previous message was complete");
        } else {
            if (cs.extended) {
                in.readInt();
                count(4);
            }
            if (starts) cs.timestamp += cs.delta; // a type-3 chunk starting a new message repeats the previous delta
        }
        if (starts) {
            cs.message = new byte[cs.length];
            cs.filled = 0;
        }
        int n = Math.min(inChunkSize, cs.length - cs.filled);
        in.readFully(cs.message, cs.filled, n);
        count(n);
        cs.filled += n;
        if (cs.filled < cs.length) return true;
        byte[] message = cs.message;
        cs.message = null;
        return dispatch(cs.type, cs.streamId, cs.timestamp, message);
    }

    private long read24() throws IOException {
        long v = ((long) in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
        count(3);
        return v;
    }

    /** Counts bytes for acknowledgements and the bitrate limit. */
    private void count(int n) throws IOException {
        bytesRead += n;
        if (peerWindow > 0 && bytesRead - lastAck >= peerWindow) {
            lastAck = bytesRead;
            send(2, 0, 3, 0, int32((int) bytesRead));
        }
        if (publisher == null) return;
        long now = System.nanoTime();
        windowBytes += n;
        long elapsed = now - windowStartNanos;
        if (elapsed >= limits.bitrateWindow().toNanos()) {
            double bps = windowBytes * 8.0 / (elapsed / 1e9);
            if (bps > limits.maxBitsPerSecond()) {
                throw new RtmpProtocolException(String.format("ingest at %.1f Mbit/s, above the limit of %.1f Mbit/s",
                        bps / 1e6, limits.maxBitsPerSecond() / 1e6));
            }
            windowStartNanos = now;
            windowBytes = 0;
        }
    }

    private boolean dispatch(int type, int streamId, long timestamp, byte[] body) throws IOException {
        switch (type) {
            case 1 -> {
                if (body.length < 4) throw new RtmpProtocolException("short Set Chunk Size");
                int size = ((body[0] & 0x7F) << 24) | ((body[1] & 0xFF) << 16) | ((body[2] & 0xFF) << 8) | (body[3] & 0xFF);
                if (size < 1 || size > limits.maxChunkSize()) {
                    throw new RtmpProtocolException("chunk size " + size + " (allowed 1.." + limits.maxChunkSize() + ")");
                }
                inChunkSize = size;
            }
            case 2, 3, 4, 6 -> { } // abort, acknowledgement, user control, peer bandwidth: nothing a publisher needs from us
            case 5 -> {
                if (body.length >= 4) peerWindow = ((body[0] & 0xFFL) << 24) | ((body[1] & 0xFF) << 16) | ((body[2] & 0xFF) << 8) | (body[3] & 0xFF);
            }
            case 8, 9, 18 -> {
                if (publisher == null) throw new RtmpProtocolException("media before an accepted publish");
                if (body.length > 0) publisher.media(type, timestamp, body);
            }
            case 17 -> { // AMF3 command: a format byte, then AMF0
                if (body.length == 0) throw new RtmpProtocolException("empty AMF3 command");
                return command(streamId, java.util.Arrays.copyOfRange(body, 1, body.length));
            }
            case 20 -> {
                return command(streamId, body);
            }
            default -> throw new RtmpProtocolException("unsupported message type " + type);
        }
        return true;
    }

    private boolean command(int streamId, byte[] body) throws IOException {
        List<Object> v = Amf0.decodeAll(body);
        if (v.isEmpty() || !(v.get(0) instanceof String name)) throw new RtmpProtocolException("command without a name");
        double txn = v.size() > 1 && v.get(1) instanceof Double d ? d : 0;
        switch (name) {
            case "connect" -> {
                if (v.size() > 2 && v.get(2) instanceof Map<?, ?> props && props.get("app") instanceof String a) app = a;
                send(2, 0, 5, 0, int32(OUR_WINDOW));
                send(2, 0, 6, 0, new byte[] {(byte) (OUR_WINDOW >>> 24), (byte) (OUR_WINDOW >>> 16), (byte) (OUR_WINDOW >>> 8), (byte) OUR_WINDOW, 2});
                send(2, 0, 1, 0, int32(4096));
                Map<String, Object> props = new LinkedHashMap<>();
                props.put("fmsVer", "FMS/3,0,1,123");
                props.put("capabilities", 31.0);
                Map<String, Object> info = status("status", "NetConnection.Connect.Success", "Connection succeeded.");
                info.put("objectEncoding", 0.0);
                send(3, 0, 20, 0, Amf0.encode("_result", txn, props, info));
            }
            case "createStream" -> send(3, 0, 20, 0, Amf0.encode("_result", txn, Amf0.NULL, 1.0));
            case "releaseStream", "FCPublish", "FCUnpublish", "getStreamLength", "_checkbw" -> { }
            case "publish" -> {
                if (publisher != null) throw new RtmpProtocolException("a second publish on one connection");
                String key = v.size() > 3 && v.get(3) instanceof String k ? k : "";
                PublishHandler.Decision d = handler.publish(app, key, socket.getInetAddress().getHostAddress());
                if (d instanceof PublishHandler.Accepted a) {
                    publisher = a.publisher();
                    windowStartNanos = System.nanoTime();
                    socket.setSoTimeout((int) limits.idleTimeout().toMillis());
                    send(5, streamId, 20, 0, Amf0.encode("onStatus", 0.0, Amf0.NULL,
                            status("status", "NetStream.Publish.Start", "Publishing; you are live.")));
                } else {
                    String reason = ((PublishHandler.Refused) d).reason();
                    send(5, streamId, 20, 0, Amf0.encode("onStatus", 0.0, Amf0.NULL, status("error", "NetStream.Publish.BadName", reason)));
                    log.info("RTMP publish from {} refused: {}", socket.getRemoteSocketAddress(), reason);
                    return false;
                }
            }
            case "deleteStream", "closeStream" -> {
                return publisher == null;
            }
            default -> { } // unknown commands are ignored, as Flash Media Server does
        }
        return true;
    }

    private static Map<String, Object> status(String level, String code, String description) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("level", level);
        m.put("code", code);
        m.put("description", description);
        return m;
    }

    private static byte[] int32(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    /** Writes one message as type-0 then type-3 chunks of 4096 bytes (the size announced after connect; 128 before it matters not: messages sent before are small). */
    private void send(int csid, int streamId, int type, long timestamp, byte[] body) throws IOException {
        int chunk = 4096;
        out.write(csid & 0x3F);
        write24(timestamp);
        write24(body.length);
        out.write(type);
        out.write(streamId & 0xFF);
        out.write((streamId >>> 8) & 0xFF);
        out.write((streamId >>> 16) & 0xFF);
        out.write((streamId >>> 24) & 0xFF);
        for (int off = 0; off < body.length; off += chunk) {
            if (off > 0) out.write(0xC0 | (csid & 0x3F));
            out.write(body, off, Math.min(chunk, body.length - off));
        }
        out.flush();
    }

    private void write24(long v) throws IOException {
        out.write((int) (v >>> 16));
        out.write((int) (v >>> 8));
        out.write((int) v);
    }
}
