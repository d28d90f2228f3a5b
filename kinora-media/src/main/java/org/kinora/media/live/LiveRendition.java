package org.kinora.media.live;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The live edge of one rendition, in memory on the ingest node: the init segment and the last
 * segments with their parts. Fragments arrive from the packager's reader thread; HTTP handlers
 * read and wait (blocking playlist reload, preload-hinted parts) on the same monitor.
 *
 * <p>Segment numbers (media sequence numbers) never restart within a live, also across a
 * publisher's reconnect (that segment carries a discontinuity instead), so a player's
 * {@code _HLS_msn} stays meaningful; names carry the session id so no cache can serve another
 * session's segment under the same URL.
 */
public final class LiveRendition {
    /** One part: a moof+mdat, within the segment {@code msn}. */
    public record Part(int msn, int index, byte[] bytes, double duration, boolean independent) {}

    /** A segment: complete once the next one started (or the live ended). */
    public static final class Segment {
        final int msn;
        final Instant programDateTime;
        final boolean discontinuity;
        final List<Part> parts = new ArrayList<>();
        double duration;
        boolean complete;

        Segment(int msn, Instant programDateTime, boolean discontinuity) {
            this.msn = msn;
            this.programDateTime = programDateTime;
            this.discontinuity = discontinuity;
        }

        public int msn() { return msn; }

        public Instant programDateTime() { return programDateTime; }

        public boolean discontinuity() { return discontinuity; }

        public List<Part> parts() { return parts; }

        public double duration() { return duration; }

        public boolean complete() { return complete; }
    }

    /**
     * Where complete segments are written for the DVR window beyond memory (the blob store);
     * {@code stored} is run once the bytes are durable, and only then is the segment listed after
     * it leaves memory. Called on the packager's thread under the rendition's monitor: it must
     * hand the work off, never block.
     */
    public interface Spill {
        void segment(int msn, byte[] bytes, Runnable stored);
    }

    /** A segment that left the in-memory window and is served from the spill (no parts: it is far from the edge). */
    public record Archived(int msn, Instant programDateTime, double duration, boolean discontinuity) {}

    private final String name;
    private final double targetSegmentSeconds;
    private final int windowSegments;
    private final int dvrSegments;
    private final Spill spill;
    private final Deque<Segment> segments = new ArrayDeque<>();
    private final Deque<Archived> archived = new ArrayDeque<>();
    private final java.util.Set<Integer> stored = new java.util.HashSet<>();
    /** Discontinuities that left the playlist's head (EXT-X-DISCONTINUITY-SEQUENCE). */
    private int discontinuitySequence;
    private byte[] init;
    private int nextMsn;
    private boolean discontinuityNext;
    private boolean ended;
    private double longestSegment;

    public LiveRendition(String name, double targetSegmentSeconds, int windowSegments) {
        this(name, targetSegmentSeconds, windowSegments, windowSegments, null);
    }

    /** @param dvrSegments segments listed in all (memory and spill); {@code spill} null: only the in-memory window */
    public LiveRendition(String name, double targetSegmentSeconds, int windowSegments, int dvrSegments, Spill spill) {
        this.name = name;
        this.targetSegmentSeconds = targetSegmentSeconds;
        this.windowSegments = Math.max(3, windowSegments);
        this.dvrSegments = spill == null ? this.windowSegments : Math.max(this.windowSegments, dvrSegments);
        this.spill = spill;
    }

    public String name() { return name; }

    public synchronized void init(byte[] init) {
        if (this.init == null) this.init = init;
        notifyAll();
    }

    public synchronized Optional<byte[]> initSegment() {
        return Optional.ofNullable(init);
    }

    /**
     * Adds a fragment: it opens a new segment when it starts on a keyframe and the open segment
     * is long enough (within half a part of the target), otherwise it is the open segment's next part.
     */
    public synchronized void add(Fmp4FragmentReader.Fragment f, Instant programDateTime) {
        Segment open = segments.peekLast();
        boolean newSegment = open == null || open.complete
                || (f.independent() && open.duration >= targetSegmentSeconds - 0.25);
        if (newSegment) {
            if (open != null) close(open);
            open = new Segment(nextMsn++, programDateTime, discontinuityNext);
            discontinuityNext = false;
            segments.addLast(open);
            while (segments.size() > windowSegments) evict(segments.removeFirst());
        }
        open.parts.add(new Part(open.msn, open.parts.size(), f.bytes(), f.durationSeconds(), f.independent()));
        open.duration += f.durationSeconds();
        notifyAll();
    }

    private void close(Segment s) {
        if (s.complete) return;
        s.complete = true;
        longestSegment = Math.max(longestSegment, s.duration);
        if (spill != null) {
            int msn = s.msn;
            spill.segment(msn, bytesOf(s), () -> stored(msn));
        }
    }

    private synchronized void stored(int msn) {
        stored.add(msn);
    }

    /**
     * A segment leaves memory: it stays listed when the spill stored it. One that was not stored
     * (the blob store failed or lagged) would leave a hole in the numbering, so the older archived
     * ones go too: the DVR window restarts after it.
     */
    private void evict(Segment old) {
        if (stored.remove(old.msn)) {
            archived.addLast(new Archived(old.msn, old.programDateTime, old.duration, old.discontinuity));
        } else {
            while (!archived.isEmpty()) dropArchived();
            if (old.discontinuity) discontinuitySequence++;
        }
        while (!archived.isEmpty() && archived.size() + segments.size() > dvrSegments) dropArchived();
    }

    private void dropArchived() {
        if (archived.removeFirst().discontinuity()) discontinuitySequence++;
    }

    /** The publisher dropped: the open segment ends here and the next one (after a reconnect) is a discontinuity. */
    public synchronized void interrupt() {
        Segment open = segments.peekLast();
        if (open != null && !open.complete) close(open);
        discontinuityNext = true;
        notifyAll();
    }

    /** The live is over: the last segment completes and waiting requests answer now. */
    public synchronized void end() {
        interrupt();
        ended = true;
        notifyAll();
    }

    public synchronized boolean ended() { return ended; }

    /** The segments in the window (a copy of the list; segments and parts are only ever appended to). */
    public synchronized Snapshot snapshot() {
        List<Segment> list = new ArrayList<>(segments);
        List<List<Part>> parts = new ArrayList<>();
        for (Segment s : list) parts.add(List.copyOf(s.parts));
        List<Boolean> complete = list.stream().map(s -> s.complete).toList();
        List<Double> durations = list.stream().map(s -> s.duration).toList();
        return new Snapshot(list, parts, complete, durations, ended, nextMsn, Math.max(targetSegmentSeconds, longestSegment),
                List.copyOf(archived), discontinuitySequence);
    }

    /**
     * A consistent copy for rendering one playlist: the archived segments (oldest first) come
     * before the in-memory ones; {@code discontinuitySequence} counts discontinuities that left the head.
     */
    public record Snapshot(List<Segment> segments, List<List<Part>> parts, List<Boolean> complete, List<Double> durations,
                           boolean ended, int nextMsn, double longestSegment, List<Archived> archived, int discontinuitySequence) {}

    /** A segment that left memory but is listed (served from the spill). */
    public synchronized Optional<Archived> archived(int msn) {
        if (archived.isEmpty() || msn < archived.peekFirst().msn() || msn > archived.peekLast().msn()) return Optional.empty();
        for (Archived a : archived) if (a.msn() == msn) return Optional.of(a);
        return Optional.empty();
    }

    /** Whether part {@code part} of segment {@code msn} (or the whole segment when part is negative) exists or can never come. */
    private boolean has(int msn, int part) {
        if (ended) return true;
        Segment last = segments.peekLast();
        if (last == null) return false;
        if (msn < last.msn) return true;
        if (msn > last.msn) return false;
        return part < 0 ? last.complete : last.parts.size() > part || last.complete;
    }

    /** Blocks until {@link #has} or the timeout; true when it is there. */
    public synchronized boolean await(int msn, int part, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!has(msn, part)) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) return false;
            wait(left);
        }
        return true;
    }

    /** The media sequence number the next segment will have. */
    public synchronized int nextMsn() { return nextMsn; }

    public synchronized Optional<Segment> segment(int msn) {
        for (Segment s : segments) if (s.msn == msn) return Optional.of(s);
        return Optional.empty();
    }

    public synchronized Optional<Part> part(int msn, int index) {
        return segment(msn).filter(s -> index < s.parts.size()).map(s -> s.parts.get(index));
    }

    /** Whole-segment bytes (its parts in order), once complete. */
    public synchronized Optional<byte[]> segmentBytes(int msn) {
        return segment(msn).filter(s -> s.complete).map(LiveRendition::bytesOf);
    }

    private static byte[] bytesOf(Segment s) {
        int n = s.parts.stream().mapToInt(p -> p.bytes().length).sum();
        byte[] all = new byte[n];
        int off = 0;
        for (Part p : s.parts) {
            System.arraycopy(p.bytes(), 0, all, off, p.bytes().length);
            off += p.bytes().length;
        }
        return all;
    }
}
