package org.kinora.media.live;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.kinora.media.ffmpeg.Ffmpeg;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encodes one publisher connection into the live renditions: one ffmpeg per rung reads the FLV
 * Kinora rebuilt (stdin, {@code -f flv}, only the {@code fd} protocol: the same untrusted-input
 * rules as an upload) and writes fragmented MP4 to stdout, one fragment per LL-HLS part; a reader
 * thread per rung cuts it into parts of its {@link LiveRendition}.
 *
 * <p>Each rung has its own bounded queue and writer thread, so a rung that cannot keep up in real
 * time is dropped (its queue overflows) instead of stalling the ingest and the other rungs.
 */
public final class LiveEncoder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveEncoder.class);
    private static final byte[] END = new byte[0];

    /** How parts and segments are cut. */
    public record Settings(double partTargetSeconds, double segmentTargetSeconds, String x264Preset) {}

    private final List<Worker> workers = new ArrayList<>();
    private volatile Instant wallAtZero;

    private final class Worker {
        final LiveRung rung;
        final LiveRendition rendition;
        final Process process;
        final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(4096);
        final StringBuilder stderr = new StringBuilder();
        volatile boolean dropped;
        Thread writer;
        Thread reader;

        Worker(LiveRung rung, LiveRendition rendition, Process process) {
            this.rung = rung;
            this.rendition = rendition;
            this.process = process;
        }
    }

    public LiveEncoder(Ffmpeg ffmpeg, List<LiveRung> rungs, List<LiveRendition> renditions, Settings settings) throws IOException {
        try {
            for (int i = 0; i < rungs.size(); i++) {
                ProcessBuilder pb = ffmpeg.processBuilder(arguments(rungs.get(i), settings));
                pb.redirectInput(ProcessBuilder.Redirect.PIPE).redirectOutput(ProcessBuilder.Redirect.PIPE);
                Worker w = new Worker(rungs.get(i), renditions.get(i), pb.start());
                workers.add(w);
                w.writer = Thread.ofVirtual().name("live-in-" + w.rung.name()).start(() -> write(w));
                w.reader = Thread.ofVirtual().name("live-out-" + w.rung.name()).start(() -> read(w));
                Thread.ofVirtual().name("live-err-" + w.rung.name()).start(() -> drainErrors(w));
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    static List<String> arguments(LiveRung r, Settings s) {
        List<String> a = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-loglevel", "error",
                // The untrusted-input rules of uploads: one protocol (the pipe), one named demuxer.
                "-protocol_whitelist", "fd", "-format_whitelist", "flv", "-f", "flv",
                // No +nobuffer: it discards the packets read while probing (a second of video lost at the start).
                "-probesize", "262144", "-analyzeduration", "1000000",
                "-i", "fd:", "-map", "0:v:0", "-map", "0:a:0?"));
        if (r.passThrough()) {
            a.addAll(List.of("-c:v", "copy", "-c:a", "copy"));
        } else {
            String seg = fmt(s.segmentTargetSeconds());
            a.addAll(List.of("-vf", "scale=" + r.width() + ":" + r.height(), "-c:v", "libx264", "-preset", s.x264Preset(),
                    "-tune", "zerolatency", "-profile:v", "high", "-pix_fmt", "yuv420p",
                    "-b:v", r.rung().videoBitrateKbps() + "k", "-maxrate", r.rung().maxBitrateKbps() + "k",
                    "-bufsize", r.rung().bufferSizeKbits() + "k", "-sc_threshold", "0",
                    "-force_key_frames", "expr:gte(t,n_forced*" + seg + ")",
                    "-c:a", "aac", "-b:a", "128k", "-ar", "48000", "-ac", "2"));
        }
        long fragMicros = Math.round(s.partTargetSeconds() * 0.9 * 1_000_000);
        a.addAll(List.of("-f", "mp4", "-movflags", "empty_moov+default_base_moof+frag_keyframe",
                "-frag_duration", Long.toString(fragMicros), "-flush_packets", "1", "pipe:1"));
        return a;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    /** Where the media clock's zero is on the wall clock: the arrival of the first tag, an estimate of when it was captured. */
    public void tag(FlvTag tag) {
        if (wallAtZero == null) wallAtZero = Instant.now();
        for (Worker w : workers) {
            if (w.dropped) continue;
            if (!w.queue.offer(tag.flv())) {
                w.dropped = true;
                log.warn("live rung {} cannot keep up in real time; dropped", w.rung.name());
                w.process.destroyForcibly();
            }
        }
    }

    /** One FLV tag, already serialised. */
    public record FlvTag(byte[] flv) {}

    /** The FLV header and a tag, serialised for the encoders' stdin. */
    public static byte[] header() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            new FlvWriter(b);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return b.toByteArray();
    }

    public static FlvTag serialise(int type, long ts, byte[] body) {
        return new FlvTag(FlvWriter.tagBytes(type, ts, body));
    }

    private void write(Worker w) {
        try (OutputStream in = w.process.getOutputStream()) {
            in.write(header());
            while (true) {
                byte[] b = w.queue.poll(1, TimeUnit.SECONDS);
                if (b == null) {
                    if (!w.process.isAlive()) return;
                    continue;
                }
                if (b == END) return;
                in.write(b);
                if (w.queue.isEmpty()) in.flush();
            }
        } catch (IOException e) {
            if (!w.dropped) log.info("live rung {}: ffmpeg stopped reading ({})", w.rung.name(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void read(Worker w) {
        try (InputStream out = w.process.getInputStream()) {
            Fmp4FragmentReader reader = new Fmp4FragmentReader(out);
            w.rendition.init(reader.init());
            Fmp4FragmentReader.Fragment f;
            while ((f = reader.next()) != null) {
                Instant zero = wallAtZero == null ? Instant.now() : wallAtZero;
                w.rendition.add(f, zero.plusNanos(Math.round(f.startSeconds() * 1e9)));
            }
        } catch (IOException e) {
            if (!w.dropped) log.warn("live rung {}: reading ffmpeg's output failed: {}", w.rung.name(), e.getMessage());
        }
    }

    private void drainErrors(Worker w) {
        try (InputStream err = w.process.getErrorStream()) {
            byte[] buf = new byte[4096];
            int n;
            while ((n = err.read(buf)) > 0) {
                synchronized (w.stderr) {
                    w.stderr.append(new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8));
                    if (w.stderr.length() > 8192) w.stderr.delete(0, w.stderr.length() - 8192);
                }
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    /** Rungs that were dropped for falling behind real time. */
    public List<String> droppedRungs() {
        return workers.stream().filter(w -> w.dropped).map(w -> w.rung.name()).toList();
    }

    /** Ends the input and waits (up to 10 s) for every rung to write its last fragment. */
    @Override
    public void close() {
        for (Worker w : workers) {
            if (!w.queue.offer(END)) w.process.destroyForcibly();
        }
        for (Worker w : workers) {
            try {
                if (!w.process.waitFor(10, TimeUnit.SECONDS)) w.process.destroyForcibly();
                if (w.reader != null) w.reader.join(5_000);
                int exit = w.process.isAlive() ? -1 : w.process.exitValue();
                if (exit != 0 && !w.dropped) {
                    String tail;
                    synchronized (w.stderr) {
                        tail = w.stderr.toString().strip();
                    }
                    log.warn("live rung {}: ffmpeg exited with {}: {}", w.rung.name(), exit, tail);
                }
            } catch (InterruptedException e) {
                w.process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
