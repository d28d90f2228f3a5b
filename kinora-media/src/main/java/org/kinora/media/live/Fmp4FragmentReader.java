package org.kinora.media.live;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * Splits ffmpeg's fragmented MP4 output ({@code -movflags empty_moov+default_base_moof}) as it
 * arrives: the init segment ({@code ftyp}+{@code moov}), then one {@link Fragment} per
 * {@code moof}+{@code mdat}, with its decode time, duration and whether it starts on a keyframe,
 * read from the boxes (the first video track decides; audio when there is no video).
 */
public final class Fmp4FragmentReader {
    static final int MAX_BOX = 64 << 20;

    /** One moof+mdat: a part of an LL-HLS segment. {@code startSeconds} is the track's decode time. */
    public record Fragment(byte[] bytes, double startSeconds, double durationSeconds, boolean independent) {}

    private record Track(int timescale, boolean video, long defaultDuration, int defaultFlags) {}

    private final DataInputStream in;
    private final Map<Integer, Track> tracks = new HashMap<>();
    private byte[] init;
    private byte[] pendingMoof;
    private final ByteArrayOutputStream carried = new ByteArrayOutputStream();

    public Fmp4FragmentReader(InputStream in) {
        this.in = new DataInputStream(in);
    }

    /** The init segment; reads up to and including the moov box. */
    public byte[] init() throws IOException {
        if (init != null) return init;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            byte[] box = box();
            if (box == null) throw new EOFException("ffmpeg ended before writing the init segment");
            String type = type(box);
            if (type.equals("ftyp") || type.equals("moov")) b.writeBytes(box);
            if (type.equals("moov")) {
                readMoov(box);
                init = b.toByteArray();
                return init;
            }
        }
    }

    /**
     * The next fragment, or null at the end of the stream. Fragments without a sample of the
     * video track (ffmpeg writes audio that precedes the first frame on its own) are joined to
     * the next one, so that every part has the video's duration and keyframe flag.
     */
    public Fragment next() throws IOException {
        init();
        while (true) {
            byte[] box = box();
            if (box == null) return null;
            switch (type(box)) {
                case "moof" -> pendingMoof = box;
                case "mdat" -> {
                    if (pendingMoof == null) continue;
                    byte[] moof = pendingMoof;
                    pendingMoof = null;
                    byte[] bytes = new byte[moof.length + box.length];
                    System.arraycopy(moof, 0, bytes, 0, moof.length);
                    System.arraycopy(box, 0, bytes, moof.length, box.length);
                    Fragment f = describe(moof, bytes);
                    if (f == null) { // no video in it (audio before the first frame): it joins the next part
                        carried.writeBytes(bytes);
                        continue;
                    }
                    if (carried.size() == 0) return f;
                    carried.writeBytes(bytes);
                    Fragment joined = new Fragment(carried.toByteArray(), f.startSeconds(), f.durationSeconds(), f.independent());
                    carried.reset();
                    return joined;
                }
                default -> { } // styp, sidx, mfra...: not needed
            }
        }
    }

    private byte[] box() throws IOException {
        byte[] head = new byte[8];
        try {
            in.readFully(head, 0, 1);
        } catch (EOFException e) {
            return null;
        }
        in.readFully(head, 1, 7);
        long size = ByteBuffer.wrap(head).getInt() & 0xFFFFFFFFL;
        byte[] large = null;
        if (size == 1) {
            large = new byte[8];
            in.readFully(large);
            size = ByteBuffer.wrap(large).getLong();
        }
        int headLen = 8 + (large == null ? 0 : 8);
        if (size < headLen || size > MAX_BOX) throw new IOException("fMP4 box of " + size + " bytes from ffmpeg");
        byte[] box = new byte[(int) size];
        System.arraycopy(head, 0, box, 0, 8);
        if (large != null) System.arraycopy(large, 0, box, 8, 8);
        in.readFully(box, headLen, box.length - headLen);
        return box;
    }

    private static String type(byte[] box) {
        return new String(box, 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Calls {@code visit} for each child box of the container at [from, to). */
    private static void children(ByteBuffer b, int from, int to, BoxVisitor visit) {
        int p = from;
        while (p + 8 <= to) {
            int size = b.getInt(p);
            if (size < 8 || p + size > to) return;
            String type = new String(new byte[] {b.get(p + 4), b.get(p + 5), b.get(p + 6), b.get(p + 7)},
                    java.nio.charset.StandardCharsets.ISO_8859_1);
            visit.box(type, p + 8, p + size);
            p += size;
        }
    }

    @FunctionalInterface
    private interface BoxVisitor {
        void box(String type, int bodyStart, int end);
    }

    private void readMoov(byte[] moov) {
        ByteBuffer b = ByteBuffer.wrap(moov);
        Map<Integer, long[]> trex = new HashMap<>();
        Map<Integer, int[]> trak = new HashMap<>(); // id -> {timescale, video}
        children(b, 8, moov.length, (type, s, e) -> {
            if (type.equals("trak")) {
                int[] id = {0};
                int[] info = {1, 0};
                children(b, s, e, (t2, s2, e2) -> {
                    if (t2.equals("tkhd")) id[0] = b.getInt(s2 + (b.get(s2) == 1 ? 20 : 12));
                    if (t2.equals("mdia")) children(b, s2, e2, (t3, s3, e3) -> {
                        if (t3.equals("mdhd")) info[0] = b.getInt(s3 + (b.get(s3) == 1 ? 20 : 12));
                        if (t3.equals("hdlr")) info[1] = b.getInt(s3 + 8) == 0x76696465 ? 1 : 0; // 'vide'
                    });
                });
                trak.put(id[0], info);
            }
            if (type.equals("mvex")) children(b, s, e, (t2, s2, e2) -> {
                if (t2.equals("trex")) trex.put(b.getInt(s2 + 4), new long[] {b.getInt(s2 + 12) & 0xFFFFFFFFL, b.getInt(s2 + 20)});
            });
        });
        trak.forEach((id, info) -> {
            long[] d = trex.getOrDefault(id, new long[] {0, 0});
            tracks.put(id, new Track(Math.max(1, info[0]), info[1] == 1, d[0], (int) d[1]));
        });
    }

    private Fragment describe(byte[] moof, byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(moof);
        boolean anyVideo = tracks.values().stream().anyMatch(Track::video);
        double[] result = {-1, 0, 0}; // start, duration, independent
        children(b, 8, moof.length, (type, s, e) -> {
            if (!type.equals("traf")) return;
            int[] trackId = {0};
            long[] defaults = {0, 0}; // duration, flags
            long[] baseTime = {0};
            long[] total = {0};
            int[] firstFlags = {-1};
            children(b, s, e, (t2, s2, e2) -> {
                switch (t2) {
                    case "tfhd" -> {
                        int flags = b.getInt(s2) & 0xFFFFFF;
                        trackId[0] = b.getInt(s2 + 4);
                        Track tr = tracks.get(trackId[0]);
                        defaults[0] = tr == null ? 0 : tr.defaultDuration();
                        defaults[1] = tr == null ? 0 : tr.defaultFlags();
                        int p = s2 + 8;
                        if ((flags & 0x1) != 0) p += 8;
                        if ((flags & 0x2) != 0) p += 4;
                        if ((flags & 0x8) != 0) { defaults[0] = b.getInt(p) & 0xFFFFFFFFL; p += 4; }
                        if ((flags & 0x10) != 0) p += 4;
                        if ((flags & 0x20) != 0) defaults[1] = b.getInt(p);
                    }
                    case "tfdt" -> baseTime[0] = b.get(s2) == 1 ? b.getLong(s2 + 4) : b.getInt(s2 + 4) & 0xFFFFFFFFL;
                    case "trun" -> {
                        int flags = b.getInt(s2) & 0xFFFFFF;
                        int count = b.getInt(s2 + 4);
                        int p = s2 + 8;
                        if ((flags & 0x1) != 0) p += 4;
                        int first = -1;
                        if ((flags & 0x4) != 0) { first = b.getInt(p); p += 4; }
                        for (int i = 0; i < count && p <= e2; i++) {
                            long dur = defaults[0];
                            int sampleFlags = (int) defaults[1];
                            if ((flags & 0x100) != 0) { dur = b.getInt(p) & 0xFFFFFFFFL; p += 4; }
                            if ((flags & 0x200) != 0) p += 4;
                            if ((flags & 0x400) != 0) { sampleFlags = b.getInt(p); p += 4; }
                            if ((flags & 0x800) != 0) p += 4;
                            if (i == 0 && firstFlags[0] == -1) firstFlags[0] = first != -1 ? first : sampleFlags;
                            total[0] += dur;
                        }
                    }
                    default -> { }
                }
            });
            Track tr = tracks.get(trackId[0]);
            if (tr == null || (anyVideo && !tr.video()) || result[0] >= 0) return;
            result[0] = (double) baseTime[0] / tr.timescale();
            result[1] = (double) total[0] / tr.timescale();
            // sample_is_non_sync_sample is bit 16 of the sample flags; audio samples are all sync.
            result[2] = !tr.video() || (firstFlags[0] & 0x00010000) == 0 ? 1 : 0;
        });
        if (result[0] < 0) return null;
        return new Fragment(bytes, result[0], result[1], result[2] == 1);
    }
}
