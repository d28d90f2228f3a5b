package org.kinora.server.protection;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * Where an H.264 slice header ends (ITU-T H.264 7.3.3), so that {@code cbcs} can leave it clear
 * as ISO/IEC 23001-7 asks of video (the NAL length, the NAL header and the slice header
 * unencrypted, only slice data protected): a decoder, or a secure pipeline, must parse the header
 * before it can decrypt. Its length depends on the stream's SPS and PPS, read once from the
 * track's {@code avcC}. Built for what the pipeline writes (x264 High profile, one slice group)
 * and for what the copy route passes through (an uploader's own H.264, which the copy route only
 * takes in Constrained Baseline, Main or High, see {@code SourceCopy}); anything it cannot parse is
 * refused with the reason, never guessed. Values outside the ranges H.264 allows are not all
 * checked: they give a wrong header length, so that one video's protected copy plays garbled;
 * parsing never reads past the NAL.
 */
final class AvcSliceHeaders {
    private record Sps(int chromaArrayType, boolean separateColourPlane, int log2MaxFrameNum, int pocType, int log2MaxPocLsb,
                       boolean deltaPicOrderAlwaysZero, boolean frameMbsOnly) {}

    private record Pps(int spsId, boolean cabac, boolean bottomFieldPicOrderPresent, int refIdxL0, int refIdxL1,
                       boolean weightedPred, int weightedBipredIdc, boolean deblockingControl, boolean redundantPicCnt) {}

    private static final int P = 0, B = 1, I = 2, SP = 3, SI = 4;
    private final Map<Integer, Sps> sps = new HashMap<>();
    private final Map<Integer, Pps> pps = new HashMap<>();
    final int nalLengthSize;

    private AvcSliceHeaders(int nalLengthSize) {
        this.nalLengthSize = nalLengthSize;
    }

    /** From an {@code avcC} box body (ISO/IEC 14496-15 5.3.3.1). */
    static AvcSliceHeaders fromAvcC(byte[] data, int from, int to) {
        try {
            return readAvcC(data, from, to);
        } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("a truncated avcC");
        }
    }

    private static AvcSliceHeaders readAvcC(byte[] data, int from, int to) {
        ByteBuffer b = ByteBuffer.wrap(data, from, to - from);
        b.position(from + 4);
        AvcSliceHeaders out = new AvcSliceHeaders((b.get() & 0x3) + 1);
        int spsCount = b.get() & 0x1F;
        for (int i = 0; i < spsCount; i++) {
            int len = b.getShort() & 0xFFFF;
            out.readSps(new Bits(data, b.position() + 1, b.position() + len));
            b.position(b.position() + len);
        }
        int ppsCount = b.get() & 0xFF;
        for (int i = 0; i < ppsCount; i++) {
            int len = b.getShort() & 0xFFFF;
            out.readPps(new Bits(data, b.position() + 1, b.position() + len));
            b.position(b.position() + len);
        }
        if (out.sps.isEmpty() || out.pps.isEmpty()) throw new IllegalArgumentException("an avcC without SPS or PPS");
        return out;
    }

    /** Whether a NAL unit (its first byte is the header) carries a coded slice: only those are encrypted. */
    static boolean isSlice(int nalHeader) {
        int type = nalHeader & 0x1F;
        return type >= 1 && type <= 5;
    }

    /**
     * Bytes from the NAL header's first byte to the end of the slice header, counting emulation
     * prevention bytes and the bits that complete its last byte (CABAC's alignment ones are checked:
     * a parse that does not end where the slice data begins is refused).
     */
    int headerSize(byte[] data, int nalStart, int nalEnd) {
        int header = data[nalStart] & 0xFF;
        int nalType = header & 0x1F, refIdc = (header >> 5) & 0x3;
        Bits r = new Bits(data, nalStart + 1, nalEnd);
        r.ue(); // first_mb_in_slice
        int sliceType = r.ue() % 5;
        Pps p = pps.get(r.ue());
        if (p == null) throw new IllegalArgumentException("a slice names a PPS the avcC does not hold");
        Sps s = sps.get(p.spsId);
        if (s == null) throw new IllegalArgumentException("a PPS names an SPS the avcC does not hold");
        if (s.separateColourPlane) r.bits(2);
        r.bits(s.log2MaxFrameNum);
        boolean field = false;
        if (!s.frameMbsOnly) {
            field = r.bit();
            if (field) r.bit();
        }
        if (nalType == 5) r.ue(); // idr_pic_id
        if (s.pocType == 0) {
            r.bits(s.log2MaxPocLsb);
            if (p.bottomFieldPicOrderPresent && !field) r.se();
        }
        if (s.pocType == 1 && !s.deltaPicOrderAlwaysZero) {
            r.se();
            if (p.bottomFieldPicOrderPresent && !field) r.se();
        }
        if (p.redundantPicCnt) r.ue();
        if (sliceType == B) r.bit(); // direct_spatial_mv_pred_flag
        int l0 = p.refIdxL0, l1 = p.refIdxL1;
        if (sliceType == P || sliceType == SP || sliceType == B) {
            if (r.bit()) {
                l0 = r.ue() + 1;
                if (sliceType == B) l1 = r.ue() + 1;
            }
        }
        if (sliceType != I && sliceType != SI) refPicListModification(r);
        if (sliceType == B) refPicListModification(r);
        if ((p.weightedPred && (sliceType == P || sliceType == SP)) || (p.weightedBipredIdc == 1 && sliceType == B)) {
            r.ue(); // luma_log2_weight_denom
            if (s.chromaArrayType != 0) r.ue();
            weights(r, l0, s.chromaArrayType);
            if (sliceType == B) weights(r, l1, s.chromaArrayType);
        }
        if (refIdc != 0) {
            if (nalType == 5) {
                r.bit();
                r.bit();
            } else if (r.bit()) {
                int op;
                do {
                    op = r.ue();
                    if (op == 1 || op == 3) r.ue();
                    if (op == 2) r.ue();
                    if (op == 3 || op == 6) r.ue();
                    if (op == 4) r.ue();
                } while (op != 0);
            }
        }
        if (p.cabac && sliceType != I && sliceType != SI) r.ue(); // cabac_init_idc
        r.se(); // slice_qp_delta
        if (sliceType == SP || sliceType == SI) {
            if (sliceType == SP) r.bit();
            r.se();
        }
        if (p.deblockingControl && r.ue() != 1) {
            r.se();
            r.se();
        }
        if (p.cabac) {
            while (!r.byteAligned()) {
                if (!r.bit()) throw new IllegalArgumentException("a slice header does not end where its CABAC data begins");
            }
        }
        return r.bytesUsed() - nalStart;
    }

    private static void refPicListModification(Bits r) {
        if (!r.bit()) return;
        int idc;
        do {
            idc = r.ue();
            if (idc == 0 || idc == 1 || idc == 2) r.ue();
        } while (idc != 3);
    }

    private static void weights(Bits r, int refs, int chromaArrayType) {
        for (int i = 0; i < refs; i++) {
            if (r.bit()) {
                r.se();
                r.se();
            }
            if (chromaArrayType != 0 && r.bit()) {
                for (int c = 0; c < 4; c++) r.se();
            }
        }
    }

    private void readSps(Bits r) {
        int profile = r.bits(8);
        r.bits(16); // constraint flags, level
        int id = r.ue();
        int chroma = 1;
        boolean separate = false;
        if (profile == 100 || profile == 110 || profile == 122 || profile == 244 || profile == 44 || profile == 83 || profile == 86
                || profile == 118 || profile == 128 || profile == 138 || profile == 139 || profile == 134 || profile == 135) {
            chroma = r.ue();
            if (chroma == 3) separate = r.bit();
            r.ue();
            r.ue();
            r.bit();
            if (r.bit()) {
                for (int i = 0; i < (chroma != 3 ? 8 : 12); i++) {
                    if (r.bit()) scalingList(r, i < 6 ? 16 : 64);
                }
            }
        }
        int log2MaxFrameNum = r.ue() + 4;
        int pocType = r.ue();
        int log2MaxPocLsb = 0;
        boolean alwaysZero = false;
        if (pocType == 0) {
            log2MaxPocLsb = r.ue() + 4;
        } else if (pocType == 1) {
            alwaysZero = r.bit();
            r.se();
            r.se();
            int n = r.ue();
            for (int i = 0; i < n; i++) r.se();
        }
        r.ue(); // max_num_ref_frames
        r.bit();
        r.ue();
        r.ue();
        boolean frameMbsOnly = r.bit();
        sps.put(id, new Sps(separate ? 0 : chroma, separate, log2MaxFrameNum, pocType, log2MaxPocLsb, alwaysZero, frameMbsOnly));
    }

    private static void scalingList(Bits r, int size) {
        int last = 8, next = 8;
        for (int j = 0; j < size; j++) {
            if (next != 0) next = (last + r.se() + 256) % 256;
            last = next == 0 ? last : next;
        }
    }

    private void readPps(Bits r) {
        int id = r.ue();
        int spsId = r.ue();
        boolean cabac = r.bit();
        boolean bottomField = r.bit();
        if (r.ue() != 0) throw new IllegalArgumentException("H.264 with slice groups (FMO) cannot be protected with cbcs");
        int l0 = r.ue() + 1, l1 = r.ue() + 1;
        boolean weighted = r.bit();
        int bipred = r.bits(2);
        r.se();
        r.se();
        r.se();
        boolean deblocking = r.bit();
        r.bit();
        boolean redundant = r.bit();
        pps.put(id, new Pps(spsId, cabac, bottomField, l0, l1, weighted, bipred, deblocking, redundant));
    }

    /** Reads an RBSP's bits straight from the NAL bytes, stepping over emulation prevention bytes (00 00 03). */
    private static final class Bits {
        private final byte[] data;
        private final int end;
        private int pos, bit, zeros;

        Bits(byte[] data, int from, int end) {
            this.data = data;
            this.pos = from;
            this.end = end;
        }

        boolean bit() {
            if (bit == 0 && zeros >= 2 && pos < end && data[pos] == 3) {
                pos++;
                zeros = 0;
            }
            if (pos >= end) throw new IllegalArgumentException("an H.264 header runs past its NAL unit");
            boolean one = ((data[pos] >> (7 - bit)) & 1) == 1;
            if (++bit == 8) {
                zeros = data[pos] == 0 ? zeros + 1 : 0;
                pos++;
                bit = 0;
            }
            return one;
        }

        int bits(int n) {
            int v = 0;
            for (int i = 0; i < n; i++) v = (v << 1) | (bit() ? 1 : 0);
            return v;
        }

        int ue() {
            int zerosLeading = 0;
            while (!bit()) {
                if (++zerosLeading > 31) throw new IllegalArgumentException("a malformed Exp-Golomb code in an H.264 header");
            }
            return (int) ((1L << zerosLeading) - 1 + bits(zerosLeading));
        }

        int se() {
            int k = ue();
            return (k & 1) == 1 ? (k + 1) / 2 : -(k / 2);
        }

        boolean byteAligned() {
            return bit == 0;
        }

        /** The first byte not (even partly) read. */
        int bytesUsed() {
            return bit == 0 ? pos : pos + 1;
        }
    }
}
