package org.kinora.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.kinora.server.playback.PlaybackTokens;

/**
 * The load generator of {@code bench/run origin}, run as a JVM of its own so that its CPU is
 * measured apart from the server's and its garbage never pauses the server under test.
 *
 * <p>Every connection is a plain keep-alive HTTP/1.1 socket on a virtual thread: it writes a
 * GET, reads the status line and headers, and reads the body (Content-Length or chunked) into a
 * reused buffer. Nothing is parsed beyond that, so a request costs the client a few syscalls and
 * no allocation per byte (the JDK HttpClient funnels every connection through one selector
 * thread, which at 256 connections was the client's own bottleneck).
 *
 * <p>Modes (first argument):
 * <ul>
 *   <li>{@code closed PORT PATH CONNECTIONS WARMUP_S SECONDS}: each connection sends its next
 *       request as soon as the previous answer is in;</li>
 *   <li>{@code viewers PORT KEYFILE PLAN VIEWERS SECONDS SEGMENT_S}: simulated viewers (see
 *       {@link #viewer}) of the videos in the plan file.</li>
 * </ul>
 * Prints one line: {@code RESULT requests errors seconds p50ms p99ms maxms cpuSeconds
 * segmentRequests segmentP99ms}, after any {@code ERROR} lines (at most 20).
 */
public final class OriginLoad {
    private static final byte[] CRLFCRLF = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final AtomicLong errorLines = new AtomicLong();

    private OriginLoad() {}

    public static void main(String[] args) throws Exception {
        long cpu0 = cpuNanos();
        Result r = switch (args[0]) {
            case "closed" -> closed(Integer.parseInt(args[1]), args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]));
            case "viewers" -> viewers(Integer.parseInt(args[1]), Path.of(args[2]), Path.of(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]), Integer.parseInt(args[6]));
            default -> throw new IllegalArgumentException("mode closed|viewers, not " + args[0]);
        };
        double cpu = (cpuNanos() - cpu0 - r.warmupCpuNanos) / 1e9;
        long[] all = r.all.toArray();
        long[] seg = r.segments.toArray();
        Arrays.sort(all);
        Arrays.sort(seg);
        System.out.printf(Locale.ROOT, "RESULT %d %d %.3f %.2f %.2f %.2f %.2f %d %.2f%n", all.length, r.errors.get(), r.seconds,
                pct(all, 0.50), pct(all, 0.99), all.length == 0 ? 0 : all[all.length - 1] / 1e6, cpu, seg.length, pct(seg, 0.99));
    }

    private static final class Result {
        final Longs all = new Longs();
        final Longs segments = new Longs();
        final AtomicLong errors = new AtomicLong();
        double seconds;
        long warmupCpuNanos;
    }

    /** N connections back to back on one URL path for {@code seconds}, after {@code warmup} seconds not counted. */
    private static Result closed(int port, String path, int connections, int warmup, int seconds) throws Exception {
        Result warm = new Result();
        long cpu0 = cpuNanos();
        if (warmup > 0) run(port, path, connections, warmup, warm);
        Result r = new Result();
        r.warmupCpuNanos = cpuNanos() - cpu0;
        r.seconds = run(port, path, connections, seconds, r);
        return r;
    }

    private static double run(int port, String path, int connections, int seconds, Result r) throws Exception {
        byte[] request = request(path);
        long started = System.nanoTime();
        long end = started + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            threads.add(Thread.ofVirtual().start(() -> {
                Longs mine = new Longs();
                Connection conn = null;
                byte[] buffer = new byte[64 * 1024];
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    try {
                        if (conn == null) conn = new Connection(port);
                        int status = conn.get(request, buffer);
                        if (status != 200) error(r, path + " -> " + status);
                    } catch (IOException e) {
                        error(r, path + ": " + e);
                        if (conn != null) conn.close();
                        conn = null;
                    }
                    mine.add(System.nanoTime() - t0);
                }
                if (conn != null) conn.close();
                r.all.addAll(mine);
                r.segments.addAll(mine);
            }));
        }
        for (Thread t : threads) t.join();
        return (System.nanoTime() - started) / 1e9;
    }

    /**
     * Each viewer watches one video of the plan at a time, like a player: the master playlist,
     * then its rung's media playlist, then three segments back to back (the start-up buffer), then
     * one segment per {@code segmentSeconds} (real time). After 5 to 40 segments it moves on to
     * another video (a new session: a new token, the playlists again). Half the viewers pick the
     * plan's first video (everyone watching the same thing), the others any video; one in four
     * watches the 240p rung, the others 720p. Viewers start spread over the first
     * {@code segmentSeconds}. The viewer is named in its token, as a signed-in viewer is.
     */
    private static Result viewers(int port, Path keyFile, Path planFile, int viewers, int seconds, int segmentSeconds)
            throws Exception {
        byte[] key = Base64.getDecoder().decode(Files.readString(keyFile).trim());
        PlaybackTokens tokens = new PlaybackTokens(key, Duration.ofHours(2), Instant::now);
        // Plan: one line per video: "<id> <segments per rung>".
        List<String[]> plan = Files.readAllLines(planFile).stream().filter(l -> !l.isBlank()).map(l -> l.trim().split(" ")).toList();
        Result r = new Result();
        long started = System.nanoTime();
        long end = started + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int v = 0; v < viewers; v++) {
            int viewer = v;
            threads.add(Thread.ofVirtual().start(() -> viewer(port, tokens, plan, viewer, end, segmentSeconds, r)));
        }
        for (Thread t : threads) t.join();
        r.seconds = (System.nanoTime() - started) / 1e9;
        return r;
    }

    private static void viewer(int port, PlaybackTokens tokens, List<String[]> plan, int viewer, long end, int segmentSeconds, Result r) {
        SplittableRandom random = new SplittableRandom(viewer * 7919L + 17);
        Longs all = new Longs();
        Longs segments = new Longs();
        byte[] buffer = new byte[64 * 1024];
        String rung = viewer % 4 == 0 ? "240p" : "720p";
        Connection conn = null;
        try {
            Thread.sleep(random.nextLong(segmentSeconds * 1000L));
            long next = System.nanoTime();
            while (System.nanoTime() < end) {
                String[] video = plan.get(random.nextBoolean() ? 0 : random.nextInt(plan.size()));
                int count = Integer.parseInt(video[1]);
                String base = "/media/" + tokens.issue(video[0], "viewer-" + viewer) + "/" + video[0] + "/";
                List<String> session = new ArrayList<>(List.of("master.m3u8", rung + "/index.m3u8", rung + "/init.mp4"));
                int watch = 5 + random.nextInt(36);
                int first = random.nextInt(count);
                for (int i = 0; i < watch; i++) session.add(rung + "/" + String.format(Locale.ROOT, "seg_%05d.m4s", 1 + (first + i) % count));
                for (int i = 0; i < session.size() && System.nanoTime() < end; i++) {
                    String file = session.get(i);
                    boolean segment = file.endsWith(".m4s");
                    long t0 = System.nanoTime();
                    try {
                        if (conn == null) conn = new Connection(port);
                        int status = conn.get(request(base + file), buffer);
                        if (status != 200) error(r, file + " -> " + status);
                    } catch (IOException e) {
                        error(r, file + ": " + e);
                        if (conn != null) conn.close();
                        conn = null;
                    }
                    long took = System.nanoTime() - t0;
                    all.add(took);
                    if (segment) segments.add(took);
                    // Playlists, init and the first three segments back to back; then at the pace of playback.
                    if (segment && i >= 6) {
                        next += segmentSeconds * 1_000_000_000L;
                        long wait = next - System.nanoTime();
                        if (wait > 0) Thread.sleep(Duration.ofNanos(wait));
                    } else {
                        next = System.nanoTime();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (conn != null) conn.close();
            r.all.addAll(all);
            r.segments.addAll(segments);
        }
    }

    private static byte[] request(String path) {
        return ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: kinora-bench\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static void error(Result r, String what) {
        r.errors.incrementAndGet();
        if (errorLines.incrementAndGet() <= 20) System.out.println("ERROR " + what);
    }

    /** One keep-alive HTTP/1.1 connection. */
    private static final class Connection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final byte[] head = new byte[16 * 1024];
        /** Bytes read past the previous response's end (none on HTTP/1.1 without pipelining, but kept safe). */
        private int carried;

        Connection(int port) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(30_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        /** Sends the request, reads the whole answer, returns its status. */
        int get(byte[] request, byte[] buffer) throws IOException {
            out.write(request);
            out.flush();
            int n = carried;
            int headerEnd;
            while ((headerEnd = indexOf(head, n, CRLFCRLF)) < 0) {
                if (n == head.length) throw new IOException("response headers over " + head.length + " bytes");
                int got = in.read(head, n, head.length - n);
                if (got < 0) throw new EOFException("connection closed before the response headers");
                n += got;
            }
            String headers = new String(head, 0, headerEnd, StandardCharsets.ISO_8859_1);
            int status = Integer.parseInt(headers.substring(9, 12));
            int bodyStart = headerEnd + 4;
            int already = n - bodyStart;
            String lower = headers.toLowerCase(Locale.ROOT);
            long length = header(lower, "content-length");
            if (length >= 0) {
                if (already > length) throw new IOException("pipelined bytes past the body");
                skip(length - already, buffer);
            } else if (lower.contains("transfer-encoding: chunked")) {
                System.arraycopy(head, bodyStart, buffer, 0, already);
                readChunked(buffer, already);
            } else if (status != 204 && status != 304) {
                throw new IOException("response without Content-Length or chunked encoding");
            }
            carried = 0;
            if (lower.contains("connection: close")) throw new IOException("server closed the connection (status " + status + ")");
            return status;
        }

        private void skip(long remaining, byte[] buffer) throws IOException {
            while (remaining > 0) {
                int got = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                if (got < 0) throw new EOFException("connection closed mid-body");
                remaining -= got;
            }
        }

        /** Chunked body, starting with {@code have} bytes already in {@code buf}; reads up to the final CRLF. */
        private void readChunked(byte[] buf, int have) throws IOException {
            java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();
            pending.write(buf, 0, have);
            while (true) {
                byte[] p = pending.toByteArray();
                int pos = 0;
                boolean progressed = false;
                while (true) {
                    int eol = indexOf(p, pos, p.length, new byte[] {'\r', '\n'});
                    if (eol < 0) break;
                    int size = Integer.parseInt(new String(p, pos, eol - pos, StandardCharsets.US_ASCII).split(";")[0].trim(), 16);
                    int need = eol + 2 + size + 2;
                    if (p.length < need) break;
                    pos = need;
                    progressed = true;
                    if (size == 0) return;
                }
                pending.reset();
                pending.write(p, pos, p.length - pos);
                int got = in.read(buf, 0, buf.length);
                if (got < 0) throw new EOFException("connection closed mid-chunk");
                pending.write(buf, 0, got);
                if (!progressed && pending.size() > 1 << 24) throw new IOException("chunk too large");
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private static long header(String lowerHeaders, String name) {
        int i = lowerHeaders.indexOf("\r\n" + name + ":");
        if (i < 0) return -1;
        int start = i + name.length() + 3;
        int eol = lowerHeaders.indexOf("\r\n", start);
        return Long.parseLong(lowerHeaders.substring(start, eol < 0 ? lowerHeaders.length() : eol).trim());
    }

    private static int indexOf(byte[] a, int length, byte[] what) {
        return indexOf(a, 0, length, what);
    }

    private static int indexOf(byte[] a, int from, int length, byte[] what) {
        outer:
        for (int i = from; i + what.length <= length; i++) {
            for (int j = 0; j < what.length; j++) if (a[i + j] != what[j]) continue outer;
            return i;
        }
        return -1;
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) return 0;
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    /** A growable array of longs; addAll is synchronized (threads merge into one at their end). */
    private static final class Longs {
        private long[] values = new long[256];
        private int size;

        void add(long v) {
            if (size == values.length) values = Arrays.copyOf(values, size * 2);
            values[size++] = v;
        }

        synchronized void addAll(Longs other) {
            for (int i = 0; i < other.size; i++) add(other.values[i]);
        }

        long[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
