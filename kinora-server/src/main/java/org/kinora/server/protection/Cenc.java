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
 * Common Encryption (ISO/IEC 23001-7) of the CMAF files the pipeline already wrote, done when they
 * are served (see docs/content-protection.md for why), in either scheme:
 *
 * <ul>
 *   <li>{@code cenc}: AES-128 CTR, an 8-byte IV per sample, video NAL units encrypted after their
 *       length and header byte;</li>
 *   <li>{@code cbcs}: AES-128 CBC with a 16-byte constant IV per track (in {@code tenc} version 1,
 *       no IVs in {@code senc}). Video: pattern 1:9 (of each ten 16-byte blocks the first is
 *       encrypted) over the slice data only: non-slice NAL units (SPS, PPS, SEI) stay clear, and
 *       so do each slice's length, NAL header and slice header ({@link AvcSliceHeaders}); the CBC
 *       chain restarts from the constant IV at every subsample, and a trailing partial block stays
 *       clear. Audio: every whole 16-byte block of the sample (pattern 0:0), the tail clear.</li>
 * </ul>
 *
 * In both:
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

    /** cbcs video: of each ten 16-byte blocks of slice data, the first is encrypted (the spec's recommended 1:9). */
    static final int CBCS_CRYPT_BLOCKS = 1, CBCS_SKIP_BLOCKS = 9;

    /** The two schemes; {@code fourcc} is what {@code schm} and the MPD's {@code value} say. */
    enum Scheme {
        CENC("cenc"), CBCS("cbcs");

        final String fourcc;

        Scheme(String fourcc) {
            this.fourcc = fourcc;
        }
    }

    private Cenc() {}

    // ---- init segment ----

    static byte[] protectInit(byte[] init, byte[] kid) {
        return protectInit(init, kid, Scheme.CENC, null);
    }

    /** @param constantIv for {@code cbcs}, the track's 16-byte IV (null for {@code cenc}) */
    static byte[] protectInit(byte[] init, byte[] kid, Scheme scheme, byte[] constantIv) {
        if ((scheme == Scheme.CBCS) != (constantIv != null && constantIv.length == 16)) {
            throw new IllegalStateException("cbcs takes a 16-byte constant IV, cenc none");
        }
        Track track = new Track(kid, scheme, constantIv);
        ByteArrayOutputStream out = new ByteArrayOutputStream(init.length + 200);
        for (Box b : boxes(init, 0, init.length)) {
            if (b.type.equals("moov")) {
                byte[] children = rewriteContainer(init, b, track);
                write(out, "moov", concat(children, pssh(kid)));
            } else {
                out.write(init, b.start, b.size);
            }
        }
        return out.toByteArray();
    }

    private record Track(byte[] kid, Scheme scheme, byte[] constantIv) {}

    /** The body of a container box, rewritten down to its sample description. */
    private static byte[] rewriteContainer(byte[] data, Box box, Track track) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(box.size + 100);
        for (Box c : boxes(data, box.bodyStart(), box.end())) {
            if (CONTAINERS.contains(c.type)) write(out, c.type, rewriteContainer(data, c, track));
            else if (c.type.equals("stsd")) write(out, "stsd", rewriteStsd(data, c, track));
            else out.write(data, c.start, c.size);
        }
        return out.toByteArray();
    }

    private static byte[] rewriteStsd(byte[] data, Box stsd, Track track) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(stsd.size + 100);
        out.write(data, stsd.bodyStart(), 8); // version, flags, entry_count
        for (Box entry : boxes(data, stsd.bodyStart() + 8, stsd.end())) {
            String protectedType = VIDEO_ENTRIES.contains(entry.type) ? "encv" : AUDIO_ENTRIES.contains(entry.type) ? "enca" : null;
            if (protectedType == null) {
                throw new IllegalArgumentException("cannot protect a track whose sample entry is '" + entry.type + "'");
            }
            if (track.scheme == Scheme.CBCS && protectedType.equals("encv") && !entry.type.startsWith("avc")) {
                throw new IllegalArgumentException("cbcs needs the slice headers of H.264 ('avc1'); '" + entry.type + "' is not parsed");
            }
            byte[] body = Arrays.copyOfRange(data, entry.bodyStart(), entry.end());
            write(out, protectedType, concat(body, sinf(entry.type, track, protectedType.equals("encv"))));
        }
        return out.toByteArray();
    }

    private static byte[] sinf(String originalFormat, Track track, boolean video) {
        byte[] frma = box("frma", originalFormat.getBytes(StandardCharsets.US_ASCII));
        byte[] schm = box("schm", ByteBuffer.allocate(12).putInt(0).put(track.scheme.fourcc.getBytes(StandardCharsets.US_ASCII))
                .putInt(0x0001_0000).array());
        byte[] tenc;
        if (track.scheme == Scheme.CENC) {
            // tenc version 0: reserved, reserved, isProtected = 1, per-sample IV size, default key id.
            tenc = box("tenc", ByteBuffer.allocate(24).putInt(0).put((byte) 0).put((byte) 0).put((byte) 1)
                    .put((byte) IV_SIZE).put(track.kid).array());
        } else {
            // tenc version 1: reserved, crypt:skip blocks (4 bits each), isProtected = 1, per-sample IV size 0
            // (a constant IV follows the key id: size, then the IV itself).
            int pattern = video ? CBCS_CRYPT_BLOCKS << 4 | CBCS_SKIP_BLOCKS : 0;
            tenc = box("tenc", ByteBuffer.allocate(4 + 4 + 16 + 1 + 16).putInt(0x0100_0000).put((byte) 0).put((byte) pattern)
                    .put((byte) 1).put((byte) 0).put(track.kid).put((byte) 16).put(track.constantIv).array());
        }
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
        return protectSegment(segment, new Samples(Scheme.CENC, key, video, ivSeed, null, null));
    }

    /**
     * {@code cbcs}: the segment's samples with the track's constant IV.
     *
     * @param avc the video track's parameter sets (its init segment's avcC); null for audio
     */
    static byte[] protectSegmentCbcs(byte[] segment, byte[] key, byte[] constantIv, AvcSliceHeaders avc) {
        return protectSegment(segment, new Samples(Scheme.CBCS, key, avc != null, null, constantIv, avc));
    }

    /** How one track's samples are encrypted. */
    private record Samples(Scheme scheme, byte[] key, boolean video, String ivSeed, byte[] constantIv, AvcSliceHeaders avc) {
        int ivSize() { return scheme == Scheme.CENC ? IV_SIZE : 0; }
    }

    /** The avcC of an H.264 init segment, for {@link #protectSegmentCbcs}; empty for an audio track. */
    static java.util.Optional<AvcSliceHeaders> avcOf(byte[] init) {
        return findAvcC(init, 0, init.length);
    }

    private static java.util.Optional<AvcSliceHeaders> findAvcC(byte[] data, int from, int to) {
        for (Box b : boxes(data, from, to)) {
            if (CONTAINERS.contains(b.type)) {
                var found = findAvcC(data, b.bodyStart(), b.end());
                if (found.isPresent()) return found;
            } else if (b.type.equals("stsd")) {
                for (Box entry : boxes(data, b.bodyStart() + 8, b.end())) {
                    if (!entry.type.startsWith("avc")) continue;
                    // A VisualSampleEntry's fixed fields take 78 bytes; its boxes (avcC, pasp, btrt...) follow.
                    for (Box c : boxes(data, entry.bodyStart() + 78, entry.end())) {
                        if (c.type.equals("avcC")) return java.util.Optional.of(AvcSliceHeaders.fromAvcC(data, c.bodyStart(), c.end()));
                    }
                    throw new IllegalArgumentException("an H.264 sample entry without avcC");
                }
            }
        }
        return java.util.Optional.empty();
    }

    private static byte[] protectSegment(byte[] segment, Samples mode) {
        byte[] data = segment.clone(); // samples are encrypted in place in this copy
        ByteArrayOutputStream out = new ByteArrayOutputStream(segment.length + 4096);
        int moofIndex = 0;
        for (Box b : boxes(data, 0, data.length)) {
            switch (b.type) {
                case "sidx" -> { } // dropped: see the class comment
                case "moof" -> out.writeBytes(protectMoof(data, b, mode, moofIndex++));
                default -> out.write(data, b.start, b.size); // styp, mdat (already encrypted in place), emsg...
            }
        }
        return out.toByteArray();
    }

    private static byte[] protectMoof(byte[] data, Box moof, Samples mode, int moofIndex) {
        boolean video = mode.video;
        String ivSeed = mode.ivSeed + "#" + moofIndex;
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
            List<int[]> subsamples;
            if (mode.scheme == Scheme.CENC) {
                byte[] iv = iv(ivSeed, i);
                subsamples = video ? nalSubsamples(data, at, sizes[i]) : List.of(new int[] {0, sizes[i]});
                encrypt(data, at, subsamples, mode.key, iv);
                senc.writeBytes(iv);
            } else {
                subsamples = video ? cbcsSubsamples(data, at, sizes[i], mode.avc) : List.of(new int[] {0, sizes[i]});
                encryptCbcs(data, at, subsamples, mode.key, mode.constantIv, video);
            }
            if (video) {
                ByteBuffer s = ByteBuffer.allocate(2 + 6 * subsamples.size()).putShort((short) subsamples.size());
                for (int[] sub : subsamples) s.putShort((short) sub[0]).putInt(sub[1]);
                senc.writeBytes(s.array());
                int infoSize = mode.ivSize() + 2 + 6 * subsamples.size();
                if (infoSize > 255) throw new IllegalArgumentException("a sample with too many NAL units to describe");
                infoSizes[i] = (byte) infoSize;
            } else {
                infoSizes[i] = (byte) mode.ivSize(); // cbcs audio: nothing per sample (constant IV, whole sample)
            }
            at += sizes[i];
        }
        byte[] saiz = video || mode.ivSize() == 0
                ? box("saiz", concat(ByteBuffer.allocate(9).putInt(0).put((byte) 0).putInt(count).array(), infoSizes))
                : box("saiz", ByteBuffer.allocate(9).putInt(0).put((byte) IV_SIZE).putInt(count).array());
        byte[] sencBox = box("senc", senc.toByteArray());
        int saioSize = 8 + 4 + 4 + 4;
        // Where senc's first entry is, from moof's first byte: moof header, boxes before traf, traf header, its kept boxes, saiz, saio, senc header.
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

    /**
     * cbcs subsamples of one sample: non-slice NAL units whole and each slice's length, NAL header and
     * slice header clear (merged into the clear part of the slice that follows; BytesOfClearData is 16 bits),
     * the slice data protected.
     */
    private static List<int[]> cbcsSubsamples(byte[] data, int start, int size, AvcSliceHeaders avc) {
        if (avc.nalLengthSize != NAL_LENGTH_SIZE) throw new IllegalArgumentException("NAL lengths of " + avc.nalLengthSize + " bytes, not 4");
        List<int[]> out = new ArrayList<>();
        int at = start, end = start + size, clear = 0;
        while (at < end) {
            if (at + NAL_LENGTH_SIZE > end) throw new IllegalArgumentException("a NAL unit length runs past its sample");
            int length = ByteBuffer.wrap(data, at, NAL_LENGTH_SIZE).getInt();
            if (length < 1 || at + NAL_LENGTH_SIZE + (long) length > end) {
                throw new IllegalArgumentException("a NAL unit of " + length + " bytes does not fit its sample: not 4-byte length-prefixed video");
            }
            int nal = at + NAL_LENGTH_SIZE;
            if (AvcSliceHeaders.isSlice(data[nal])) {
                int header = avc.headerSize(data, nal, nal + length);
                clear += NAL_LENGTH_SIZE + header;
                for (; clear > 0xFFFF; clear -= 0xFFFF) out.add(new int[] {0xFFFF, 0});
                out.add(new int[] {clear, length - header});
                clear = 0;
            } else {
                clear += NAL_LENGTH_SIZE + length;
            }
            at = nal + length;
        }
        for (; clear > 0xFFFF; clear -= 0xFFFF) out.add(new int[] {0xFFFF, 0});
        if (clear > 0) out.add(new int[] {clear, 0});
        return out;
    }

    /**
     * AES-CBC for cbcs, on each subsample's protected range separately from the constant IV: video with
     * the 1:9 pattern (the encrypted blocks chain into one another, skipped ones stay out of the chain),
     * audio every whole block; a last partial block stays clear.
     */
    private static void encryptCbcs(byte[] data, int start, List<int[]> subsamples, byte[] key, byte[] constantIv, boolean pattern) {
        try {
            Cipher cbc = Cipher.getInstance("AES/CBC/NoPadding");
            SecretKeySpec k = new SecretKeySpec(key, "AES");
            IvParameterSpec iv = new IvParameterSpec(constantIv);
            int at = start;
            for (int[] sub : subsamples) {
                at += sub[0];
                int blocks = sub[1] / 16;
                if (blocks > 0) {
                    cbc.init(Cipher.ENCRYPT_MODE, k, iv);
                    if (!pattern) {
                        cbc.update(data, at, blocks * 16, data, at);
                    } else {
                        // The Cipher keeps the chain across update calls: each encrypted block chains on the previous encrypted one.
                        for (int b = 0; b < blocks; b += CBCS_CRYPT_BLOCKS + CBCS_SKIP_BLOCKS) {
                            int n = Math.min(CBCS_CRYPT_BLOCKS, blocks - b);
                            cbc.update(data, at + b * 16, n * 16, data, at + b * 16);
                        }
                    }
                }
                at += sub[1];
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CBC is unavailable", e);
        }
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
