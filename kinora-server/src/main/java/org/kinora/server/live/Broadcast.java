package org.kinora.server.live;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.kinora.core.live.LiveSession;
import org.kinora.media.live.FlvWriter;
import org.kinora.media.live.LiveEncoder;
import org.kinora.media.live.LiveRendition;
import org.kinora.media.live.LiveRung;
import org.kinora.media.live.LiveSource;

/**
 * A live held by this node: its session, its renditions (the in-memory live edge), the
 * recording that becomes the replay, the publisher connected now (none during the reconnect
 * grace period) and what Studio shows about the ingest. Guarded by its own monitor.
 */
final class Broadcast {
    final LiveSession session;
    final Path recordingFile;
    private final OutputStream recordingOut;
    private final FlvWriter recording;
    /** Fixed at the first video tag: a reconnect feeds the same renditions. */
    List<LiveRung> rungs;
    List<LiveRendition> renditions;
    LiveEncoder encoder;
    LiveSource source = LiveSource.UNKNOWN;
    Ingest.Connection current;
    long droppedAtMillis;
    /**
     * The publisher's absences, wall clock {from, to} in milliseconds: the recording (so the
     * replay) skips them, so chat written after one is moved back by its length at the end.
     */
    final List<long[]> gaps = new java.util.ArrayList<>();
    boolean finished;
    String replayVideoId;
    long finishedAtMillis;
    /** Where the recording's clock stands: each connection's tags continue after the last one written. */
    long recordedUntil;
    private long recordingOffset = -1;

    final Health health = new Health();
    /** The DVR window beyond memory; null when {@code live.dvr-minutes} is 0. */
    final DvrArchive dvr;
    private final Map<String, Long> viewers = new ConcurrentHashMap<>();

    /** The ingest's figures for Studio, updated from the connection's thread. */
    static final class Health {
        volatile long bytes;
        volatile long videoFrames;
        volatile long lastKeyframeMillis = -1;
        volatile double keyframeIntervalSeconds;
        volatile double kbps;
        volatile double fps;
        long lastBytes;
        long lastFrames;
        long lastTickNanos = System.nanoTime();

        synchronized void tick() {
            long now = System.nanoTime();
            double s = (now - lastTickNanos) / 1e9;
            if (s < 0.5) return;
            kbps = (bytes - lastBytes) * 8 / 1000.0 / s;
            fps = (videoFrames - lastFrames) / s;
            lastBytes = bytes;
            lastFrames = videoFrames;
            lastTickNanos = now;
        }
    }

    Broadcast(LiveSession session, Path recordingFile, DvrArchive dvr) throws IOException {
        this.session = session;
        this.dvr = dvr;
        this.recordingFile = recordingFile;
        Files.createDirectories(recordingFile.getParent());
        this.recordingOut = new BufferedOutputStream(Files.newOutputStream(recordingFile), 1 << 16);
        this.recording = new FlvWriter(recordingOut);
    }

    /** Writes a tag to the recording on one continuous clock across reconnects. */
    synchronized void record(int type, long ts, long connectionStart, byte[] body) throws IOException {
        if (finished) return;
        if (recordingOffset < 0) recordingOffset = recordedUntil - connectionStart;
        long at = Math.max(0, ts + recordingOffset);
        recording.tag(type, at, body);
        recordedUntil = Math.max(recordedUntil, at);
    }

    /** A new connection starts its clock 40 ms after the recording's last tag. */
    synchronized void newConnection() {
        recordingOffset = -1;
        if (recordedUntil > 0) recordedUntil += 40;
    }

    synchronized void closeRecording() {
        try {
            recordingOut.close();
        } catch (IOException ignored) {
            // the replay then fails to probe and the video says so
        }
    }

    Optional<LiveRendition> rendition(String name) {
        List<LiveRung> r;
        List<LiveRendition> rs;
        synchronized (this) {
            r = rungs;
            rs = renditions;
        }
        if (r == null) return Optional.empty();
        for (int i = 0; i < r.size(); i++) if (r.get(i).name().equals(name)) return Optional.of(rs.get(i));
        return Optional.empty();
    }

    /** A segment that left memory, from the DVR window in the blob store. */
    Optional<byte[]> archivedSegment(String rung, int msn) throws IOException {
        return dvr == null ? Optional.empty() : dvr.segment(rung, msn);
    }

    void sawViewer(String key) {
        viewers.put(key, System.currentTimeMillis());
    }

    /** Distinct viewers (address and browser) that loaded a playlist in the last 15 s. */
    int viewerCount() {
        long since = System.currentTimeMillis() - 15_000;
        viewers.values().removeIf(t -> t < since);
        return viewers.size();
    }
}
