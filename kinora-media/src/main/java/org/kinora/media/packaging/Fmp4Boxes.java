package org.kinora.media.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads the few ISO BMFF (ISO/IEC 14496-12) fields the manifests need from the fragmented MP4
 * files ffmpeg writes: the media timescale of an init segment, and where a media segment's first
 * sample (its keyframe) ends. Only box headers and the small moof are read, never the media data.
 */
public final class Fmp4Boxes {
    private Fmp4Boxes() {}

    /** The byte range {@code [offset, offset + length)} of a file. */
    record Range(long offset, long length) {}

    /** The timescale (ticks per second) in the first track's mdhd: what the segments' timestamps count in. */
    public static long timescale(byte[] init) {
        ByteBuffer buf = ByteBuffer.wrap(init);
        int moov = find(buf, 0, init.length, "moov");
        int trak = find(buf, body(buf, moov), end(buf, moov), "trak");
        int mdia = find(buf, body(buf, trak), end(buf, trak), "mdia");
        int mdhd = find(buf, body(buf, mdia), end(buf, mdia), "mdhd");
        if (mdhd < 0) {
            throw new IllegalArgumentException("Not an MP4 init segment: no moov/trak/mdia/mdhd box");
        }
        int at = body(buf, mdhd);
        int version = buf.get(at) & 0xff;
        // version 0: 4-byte creation and modification times; version 1: 8-byte ones.
        return Integer.toUnsignedLong(buf.getInt(at + 4 + (version == 1 ? 16 : 8)));
    }

    /**
     * The RFC 6381 codecs string of an H.264 init segment, {@code avc1.PPCCLL}: profile_idc,
     * the constraint flags and level_idc, exactly as its avcC box (the decoder configuration,
     * inside stsd/avc1) gives them. Used for a copied source stream, whose profile and flags are
     * the camera's, not Kinora's.
     */
    public static String avcCodecs(byte[] init) {
        for (int i = 4; i + 8 <= init.length; i++) {
            if (init[i] == 'a' && init[i + 1] == 'v' && init[i + 2] == 'c' && init[i + 3] == 'C' && init[i + 4] == 1) {
                return String.format(java.util.Locale.ROOT, "avc1.%02x%02x%02x", init[i + 5] & 0xff, init[i + 6] & 0xff, init[i + 7] & 0xff);
            }
        }
        throw new IllegalArgumentException("Not an H.264 init segment: no avcC box");
    }

    /**
     * The I-frame of a segment that starts with a keyframe, as an I-frame playlist's byte range:
     * from the first moof (which a player needs to find and time the sample) through the end of
     * the first sample's data in the mdat after it. If the moof does not say where the first
     * sample ends, the whole first fragment (moof and mdat) is returned: larger, still correct.
     */
    static Range firstSample(Path segment) {
        try (FileChannel file = FileChannel.open(segment, StandardOpenOption.READ)) {
            long size = file.size();
            long offset = 0;
            while (offset + 8 <= size) {
                ByteBuffer header = read(file, offset, (int) Math.min(16, size - offset));
                long boxSize = boxSize(header, size - offset);
                if (type(header, 4).equals("moof")) {
                    if (boxSize > 1 << 24) throw new IllegalArgumentException(segment + ": a moof of " + boxSize + " bytes");
                    ByteBuffer moof = read(file, offset, (int) boxSize);
                    long fragmentEnd = offset + boxSize;
                    if (fragmentEnd + 8 <= size) {
                        ByteBuffer next = read(file, fragmentEnd, (int) Math.min(16, size - fragmentEnd));
                        fragmentEnd += boxSize(next, size - fragmentEnd);
                    }
                    long sampleEnd = firstSampleEnd(moof, offset);
                    long end = sampleEnd > offset + boxSize && sampleEnd <= fragmentEnd ? sampleEnd : fragmentEnd;
                    return new Range(offset, end - offset);
                }
                offset += boxSize;
            }
            throw new IllegalArgumentException(segment + " has no moof box: not a fragmented MP4 segment");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the segment " + segment, e);
        }
    }

    /** Absolute end of the first sample of the first track run, or -1 when the boxes do not say. */
    private static long firstSampleEnd(ByteBuffer moof, long moofOffset) {
        int traf = find(moof, 8, moof.limit(), "traf");
        if (traf < 0) return -1;
        int tfhd = find(moof, body(moof, traf), end(moof, traf), "tfhd");
        int trun = find(moof, body(moof, traf), end(moof, traf), "trun");
        if (tfhd < 0 || trun < 0) return -1;

        int at = body(moof, tfhd);
        int flags = moof.getInt(at) & 0xffffff;
        at += 8; // version/flags, track_ID
        long base = moofOffset; // default-base-is-moof, and the implicit base of a fragment's first track
        if ((flags & 0x1) != 0) {
            base = moof.getLong(at);
            at += 8;
        }
        if ((flags & 0x2) != 0) at += 4; // sample_description_index
        if ((flags & 0x8) != 0) at += 4; // default_sample_duration
        long defaultSize = (flags & 0x10) != 0 ? Integer.toUnsignedLong(moof.getInt(at)) : -1;

        at = body(moof, trun);
        int runFlags = moof.getInt(at) & 0xffffff;
        at += 8; // version/flags, sample_count
        if ((runFlags & 0x1) == 0) return -1; // no data_offset: cannot place the sample
        long dataOffset = moof.getInt(at); // signed
        at += 4;
        if ((runFlags & 0x4) != 0) at += 4; // first_sample_flags
        if ((runFlags & 0x100) != 0) at += 4; // sample_duration
        long firstSize = (runFlags & 0x200) != 0 ? Integer.toUnsignedLong(moof.getInt(at)) : defaultSize;
        return firstSize < 0 ? -1 : base + dataOffset + firstSize;
    }

    /**
     * Moves a media segment later on its track's timeline by {@code seconds}, in place: every
     * moof's tfdt (baseMediaDecodeTime) and the sidx's earliest presentation time, each in its
     * own timescale. A chunk of a video encoded alone starts at 0; shifted by the chunk's start,
     * its segments continue the previous chunk's exactly (the same encoder settings give every
     * chunk the same decode delay). Sample data and sizes are untouched.
     *
     * @param trackTimescale the track's timescale ({@link #timescale(byte[])} of its init segment)
     */
    public static void shiftDecodeTime(Path segment, long seconds, long trackTimescale) {
        try {
            byte[] bytes = java.nio.file.Files.readAllBytes(segment);
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            int shifted = 0;
            for (int at = 0; at + 8 <= bytes.length; at += (int) Integer.toUnsignedLong(buf.getInt(at))) {
                long size = Integer.toUnsignedLong(buf.getInt(at));
                if (size < 8 || at + size > bytes.length) throw new IllegalArgumentException("Damaged MP4 segment " + segment + ": a box of " + size + " bytes");
                String type = type(buf, at + 4);
                if (type.equals("sidx")) {
                    int body = at + 8;
                    int version = buf.get(body) & 0xff;
                    long timescale = Integer.toUnsignedLong(buf.getInt(body + 8));
                    add(buf, body + 12, version == 1, seconds * timescale, segment);
                } else if (type.equals("moof")) {
                    for (int traf = find(buf, at + 8, at + (int) size, "traf"); traf >= 0;
                         traf = find(buf, end(buf, traf), at + (int) size, "traf")) {
                        int tfdt = find(buf, body(buf, traf), end(buf, traf), "tfdt");
                        if (tfdt < 0) throw new IllegalArgumentException("MP4 segment " + segment + " has a traf without tfdt");
                        int body = body(buf, tfdt);
                        add(buf, body + 4, (buf.get(body) & 0xff) == 1, seconds * trackTimescale, segment);
                        shifted++;
                    }
                }
            }
            if (shifted == 0) throw new IllegalArgumentException("MP4 segment " + segment + " has no moof/traf/tfdt to shift");
            java.nio.file.Files.write(segment, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not shift the timestamps of " + segment, e);
        }
    }

    private static void add(ByteBuffer buf, int at, boolean wide, long ticks, Path segment) {
        if (wide) {
            buf.putLong(at, buf.getLong(at) + ticks);
            return;
        }
        long value = Integer.toUnsignedLong(buf.getInt(at)) + ticks;
        if (value > 0xffffffffL) {
            throw new IllegalArgumentException("The timestamp of " + segment + " does not fit its 32-bit field once moved");
        }
        buf.putInt(at, (int) value);
    }

    private static ByteBuffer read(FileChannel file, long offset, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            if (file.read(buf, offset + buf.position()) < 0) break;
        }
        return buf.flip();
    }

    /** Size of the box starting at the buffer's position 0 (32-bit, 64-bit, or 0 = to the end). */
    private static long boxSize(ByteBuffer header, long remaining) {
        long size = Integer.toUnsignedLong(header.getInt(0));
        if (size == 1 && header.limit() >= 16) size = header.getLong(8);
        if (size == 0) size = remaining;
        if (size < 8 || size > remaining) throw new IllegalArgumentException("Damaged MP4: a box of " + size + " bytes");
        return size;
    }

    /** Offset of the first box of that type among the boxes in {@code [from, to)}, or -1. */
    private static int find(ByteBuffer buf, int from, int to, String type) {
        if (from < 0) return -1;
        int at = from;
        while (at + 8 <= to) {
            long size = Integer.toUnsignedLong(buf.getInt(at));
            if (size < 8 || at + size > to) return -1;
            if (type(buf, at + 4).equals(type)) return at;
            at += (int) size;
        }
        return -1;
    }

    private static int body(ByteBuffer buf, int box) {
        return box < 0 ? -1 : box + 8;
    }

    private static int end(ByteBuffer buf, int box) {
        return box < 0 ? -1 : box + buf.getInt(box);
    }

    private static String type(ByteBuffer buf, int at) {
        char[] c = new char[4];
        for (int i = 0; i < 4; i++) c[i] = (char) (buf.get(at + i) & 0xff);
        return new String(c);
    }
}
