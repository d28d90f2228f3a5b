package org.kinora.server.protection;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Common Encryption (ISO/IEC 23001-7, scheme {@code cenc}: AES-128 CTR) of the CMAF files the
 * pipeline already wrote, done when they are served (see docs/content-protection.md for why):
 *
 * <ul>
 *   <li>an init segment's sample entry becomes {@code encv}/{@code enca} with a {@code sinf}
 *       (frma, schm {@code cenc}, tenc with the key id), and {@code moov} gains a ClearKey
 *       {@code pssh} (so that the browser's {@code encrypted} event carries the key id);</li>
 *   <li>a media segment's samples are encrypted in place (video: per NAL unit, its 4-byte length
 *       and 1-byte header left clear, as ffmpeg's own CENC muxer and the spec's AVC rules do; audio:
 *       whole samples), and each {@code traf} gains {@code saiz}, {@code saio} and {@code senc}
 *       with an 8-byte IV per sample; {@code trun}'s data offset moves by what {@code moof} grew;
 *       a {@code sidx} is dropped (its sizes would be wrong, and DASH SegmentTemplate and HLS do not need it).</li>
 * </ul>
 *
 * The output is a pure function of the input, key and IV seed, so every node and every request
 * produce the same bytes (one ETag, one cached copy at the edge).
 */
final class Cenc {
    /** The W3C "Common" ClearKey system id, the one browsers' ClearKey reads from a pssh. */
    static final byte[] CLEARKEY_SYSTEM_ID = HexFormat.of().parseHex("1077efecc0b24d02ace33c1e52e2fb4b");
    private static final Set<String> CONTAINERS = Set.of("moov", "trak", "mdia", "minf", "stbl");
    private static final Set<String> VIDEO_ENTRIES = Set.of("avc1", "avc3", "hvc1", "hev1");
    private static final Set<String> AUDIO_ENTRIES = Set.of("mp4a", "Opus", "ac-3", "ec-3");
    private static final int IV_SIZE = 8;
    /** What a NAL unit keeps clear: its length (4 bytes, as the pipeline's avcC says) and its header. */
    private static final int NAL_LENGTH_SIZE = 4;
    private static final int NAL_CLEAR = NAL_LENGTH_SIZE + 1;

    private Cenc() {}

    // ---- init segment ----

    static byte[] protectInit(byte[] init, byte[] kid) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(init.length + 200);
        for (Box b : boxes(init, 0, init.length)) {
            if (b.type.equals("moov")) {
                byte[] children = rewriteContainer(init, b, kid);
                write(out, "moov", concat(children, pssh(kid)));
            } else {
                out.write(init, b.start, b.size);
            }
        }
        return out.toByteArray();
    }

    /** The body of a container box, rewritten down to its sample description. */
    private static byte[] rewriteContainer(byte[] data, Box box, byte[] kid) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(box.size + 100);
        for (Box c : boxes(data, box.bodyStart(), box.end())) {
            if (CONTAINERS.contains(c.type)) write(out, c.type, rewriteContainer(data, c, kid));
            else if (c.type.equals("stsd")) write(out, "stsd", rewriteStsd(data, c, kid));
            else out.write(data, c.start, c.size);
        }
        return out.toByteArray();
    }

    private static byte[] rewriteStsd(byte[] data, Box stsd, byte[] kid) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(stsd.size + 100);
        out.write(data, stsd.bodyStart(), 8); // version, flags, entry_count
        for (Box entry : boxes(data, stsd.bodyStart() + 8, stsd.end())) {
            String protectedType = VIDEO_ENTRIES.contains(entry.type) ? "encv" : AUDIO_ENTRIES.contains(entry.type) ? "enca" : null;
            if (protectedType == null) {
                throw new IllegalArgumentException("cannot protect a track whose sample entry is '" + entry.type + "'");
            }
            byte[] body = Arrays.copyOfRange(data, entry.bodyStart(), entry.end());
            write(out, protectedType, concat(body, sinf(entry.type, kid)));
        }
        return out.toByteArray();
    }

    private static byte[] sinf(String originalFormat, byte[] kid) {
        byte[] frma = box("frma", originalFormat.getBytes(StandardCharsets.US_ASCII));
        byte[] schm = box("schm", ByteBuffer.allocate(12).putInt(0).put("cenc".getBytes(StandardCharsets.US_ASCII))
                .putInt(0x0001_0000).array());
        // tenc version 0: reserved, reserved, isProtected = 1, per-sample IV size, default key id.
        byte[] tenc = box("tenc", ByteBuffer.allocate(24).putInt(0).put((byte) 0).put((byte) 0).put((byte) 1)
                .put((byte) IV_SIZE).put(kid).array());
        return box("sinf", concat(frma, schm, box("schi", tenc)));
    }

    /** pssh version 1 for ClearKey: the key id, no data. */
    static byte[] pssh(byte[] kid) {
        return box("pssh", ByteBuffer.allocate(4 + 16 + 4 + 16 + 4).putInt(0x0100_0000).put(CLEARKEY_SYSTEM_ID)
                .putInt(1).put(kid).putInt(0).array());
    }

    // ---- media segment ----

    /**
     * @param video  H.264/H.265 samples (subsample encryption) or audio (whole samples)
     * @param ivSeed what makes this file's IVs unique under the key (video, rung and segment name)
     */
    static byte[] protectSegment(byte[] segment, byte[] key, boolean video, String ivSeed) {
        byte[] data = segment.clone(); // samples are encrypted in place in this copy
        ByteArrayOutputStream out = new ByteArrayOutputStream(segment.length + 4096);
        int moofIndex = 0;
        for (Box b : boxes(data, 0, data.length)) {
            switch (b.type) {
                case "sidx" -> { } // dropped: see the class comment
                case "moof" -> out.writeBytes(protectMoof(data, b, key, video, ivSeed + "#" + moofIndex++));
                default -> out.write(data, b.start, b.size); // styp, mdat (already encrypted in place), emsg...
            }
        }
        return out.toByteArray();
    }

    private static byte[] protectMoof(byte[] data, Box moof, byte[] key, boolean video, String ivSeed) {
        List<Box> children = boxes(data, moof.bodyStart(), moof.end());
        ByteArrayOutputStream before = new ByteArrayOutputStream();
        Box traf = null;
        for (Box c : children) {
            if (c.type.equals("traf")) {
                if (traf != null) throw new IllegalArgumentException("a moof with more than one track fragment");
                traf = c;
            } else {
                if (traf != null) throw new IllegalArgumentException("a moof with boxes after its track fragment");
                before.write(data, c.start, c.size);
            }
        }
        if (traf == null) throw new IllegalArgumentException("a moof without a track fragment");

        Box tfhd = null, trun = null;
        ByteArrayOutputStream trafKept = new ByteArrayOutputStream();
        int trunOffsetInKept = -1;
        for (Box c : boxes(data, traf.bodyStart(), traf.end())) {
            switch (c.type) {
                case "senc", "saiz", "saio" -> throw new IllegalArgumentException("the segment is already encrypted");
                case "tfhd" -> tfhd = c;
                case "trun" -> {
                    if (trun != null) throw new IllegalArgumentException("a track fragment with more than one trun");
                    trun = c;
                    trunOffsetInKept = trafKept.size();
                }
                default -> { }
            }
            trafKept.write(data, c.start, c.size);
        }
        if (tfhd == null || trun == null) throw new IllegalArgumentException("a track fragment without tfhd or trun");

        // tfhd: where the sample data is counted from, and the default sample size.
        int tfhdFlags = ByteBuffer.wrap(data, tfhd.bodyStart(), 4).getInt() & 0xFFFFFF;
        if ((tfhdFlags & 0x1) != 0 || (tfhdFlags & 0x20000) == 0) {
            throw new IllegalArgumentException("only fragments with default-base-is-moof (as CMAF writes) can be protected");
        }
        ByteBuffer th = ByteBuffer.wrap(data, tfhd.bodyStart() + 8, tfhd.end() - tfhd.bodyStart() - 8);
        if ((tfhdFlags & 0x2) != 0) th.getInt();
        if ((tfhdFlags & 0x8) != 0) th.getInt();
        int defaultSize = (tfhdFlags & 0x10) != 0 ? th.getInt() : -1;

        // trun: sample sizes and the data offset (relative to moof's first byte).
        ByteBuffer tr = ByteBuffer.wrap(data, trun.bodyStart(), trun.end() - trun.bodyStart());
        int trunFlags = tr.getInt() & 0xFFFFFF;
        int count = tr.getInt();
        if ((trunFlags & 0x1) == 0) throw new IllegalArgumentException("a trun without a data offset");
        int dataOffsetPosition = tr.position() - trun.bodyStart(); // within trun's body (wrap keeps absolute positions)
        int dataOffset = tr.getInt();
        if ((trunFlags & 0x4) != 0) tr.getInt();
        int[] sizes = new int[count];
        for (int i = 0; i < count; i++) {
            if ((trunFlags & 0x100) != 0) tr.getInt();
            sizes[i] = (trunFlags & 0x200) != 0 ? tr.getInt() : defaultSize;
            if (sizes[i] < 0) throw new IllegalArgumentException("a sample without a size");
            if ((trunFlags & 0x400) != 0) tr.getInt();
            if ((trunFlags & 0x800) != 0) tr.getInt();
        }

        // Encrypt the samples in place and describe them.
        ByteArrayOutputStream senc = new ByteArrayOutputStream();
        senc.writeBytes(ByteBuffer.allocate(8).putInt(video ? 0x2 : 0).putInt(count).array());
        byte[] infoSizes = new byte[count];
        int at = moof.start + dataOffset;
        for (int i = 0; i < count; i++) {
            if (at + sizes[i] > data.length) throw new IllegalArgumentException("sample data runs past the end of the segment");
            byte[] iv = iv(ivSeed, i);
            List<int[]> subsamples = video ? nalSubsamples(data, at, sizes[i]) : List.of(new int[] {0, sizes[i]});
            encrypt(data, at, subsamples, key, iv);
            senc.writeBytes(iv);
            if (video) {
                ByteBuffer s = ByteBuffer.allocate(2 + 6 * subsamples.size()).putShort((short) subsamples.size());
                for (int[] sub : subsamples) s.putShort((short) sub[0]).putInt(sub[1]);
                senc.writeBytes(s.array());
                int infoSize = IV_SIZE + 2 + 6 * subsamples.size();
                if (infoSize > 255) throw new IllegalArgumentException("a sample with too many NAL units to describe");
                infoSizes[i] = (byte) infoSize;
            } else {
                infoSizes[i] = IV_SIZE;
            }
            at += sizes[i];
        }
        byte[] saiz = video
                ? box("saiz", concat(ByteBuffer.allocate(9).putInt(0).put((byte) 0).putInt(count).array(), infoSizes))
                : box("saiz", ByteBuffer.allocate(9).putInt(0).put((byte) IV_SIZE).putInt(count).array());
        byte[] sencBox = box("senc", senc.toByteArray());
        int saioSize = 8 + 4 + 4 + 4;
        // Where senc's first IV is, from moof's first byte: moof header, boxes before traf, traf header, its kept boxes, saiz, saio, senc header.
        int ivsAt = 8 + before.size() + 8 + trafKept.size() + saiz.length + saioSize + 8 + 8;
        byte[] saio = box("saio", ByteBuffer.allocate(12).putInt(0).putInt(1).putInt(ivsAt).array());

        byte[] kept = trafKept.toByteArray();
        int newMoofSize = 8 + before.size() + 8 + kept.length + saiz.length + saio.length + sencBox.length;
        int grown = newMoofSize - moof.size;
        // The samples follow moof: they move by what it grew (nothing else lies between them).
        ByteBuffer.wrap(kept, trunOffsetInKept + 8 + dataOffsetPosition, 4).putInt(dataOffset + grown);
        byte[] newTraf = box("traf", concat(kept, saiz, saio, sencBox));
        return box("moof", concat(before.toByteArray(), newTraf));
    }

    /** One subsample per NAL unit: {clear, protected}, the protected part being all but the length and header. */
    private static List<int[]> nalSubsamples(byte[] data, int start, int size) {
        List<int[]> out = new ArrayList<>();
        int at = start, end = start + size;
        while (at < end) {
            if (at + NAL_LENGTH_SIZE > end) throw new IllegalArgumentException("a NAL unit length runs past its sample");
            int length = ByteBuffer.wrap(data, at, NAL_LENGTH_SIZE).getInt();
            if (length < 1 || at + NAL_LENGTH_SIZE + (long) length > end) {
                throw new IllegalArgumentException("a NAL unit of " + length + " bytes does not fit its sample: not 4-byte length-prefixed video");
            }
            out.add(new int[] {NAL_CLEAR, length - 1});
            at += NAL_LENGTH_SIZE + length;
        }
        return out;
    }

    /** AES-CTR over the sample's protected ranges as one key stream (the counter runs on across subsamples). */
    private static void encrypt(byte[] data, int start, List<int[]> subsamples, byte[] key, byte[] iv) {
        try {
            Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
            ctr.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(Arrays.copyOf(iv, 16)));
            int at = start;
            for (int[] sub : subsamples) {
                at += sub[0];
                if (sub[1] > 0) ctr.update(data, at, sub[1], data, at);
                at += sub[1];
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR is unavailable", e);
        }
    }

    /** The sample's IV: 8 bytes of SHA-256 over the seed and index (unique under a key with overwhelming odds; deterministic). */
    private static byte[] iv(String seed, int sample) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((seed + "/" + sample).getBytes(StandardCharsets.UTF_8));
            return Arrays.copyOf(h, IV_SIZE);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- boxes ----

    record Box(String type, int start, int size) {
        int bodyStart() { return start + 8; }

        int end() { return start + size; }
    }

    static List<Box> boxes(byte[] data, int from, int to) {
        List<Box> out = new ArrayList<>();
        int at = from;
        while (at < to) {
            if (at + 8 > to) throw new IllegalArgumentException("a truncated box header at byte " + at);
            long size = ByteBuffer.wrap(data, at, 4).getInt() & 0xFFFF_FFFFL;
            String type = new String(data, at + 4, 4, StandardCharsets.ISO_8859_1);
            if (size == 1 || size == 0) throw new IllegalArgumentException("box '" + type + "' uses a 64-bit or open size");
            if (size < 8 || at + size > to) throw new IllegalArgumentException("box '" + type + "' runs past its parent");
            out.add(new Box(type, at, (int) size));
            at += (int) size;
        }
        return out;
    }

    private static byte[] box(String type, byte[] body) {
        return ByteBuffer.allocate(8 + body.length).putInt(8 + body.length).put(type.getBytes(StandardCharsets.ISO_8859_1))
                .put(body).array();
    }

    private static void write(ByteArrayOutputStream out, String type, byte[] body) {
        out.writeBytes(box(type, body));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }
}
