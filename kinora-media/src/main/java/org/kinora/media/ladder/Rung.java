package org.kinora.media.ladder;

/**
 * One rendition of the encoding ladder: its folder name (e.g. "720p"), exact output size,
 * target/peak bitrates, the level passed to the encoder in the codec's own numbering (H.264
 * "4.0", AV1 "3.1"; the accessor keeps its old name) and the matching RFC 6381 codecs string for
 * manifests (e.g. "avc1.640028", "av01.0.05M.08").
 *
 * @param codec which encoder writes the rung: H.264 for every ladder, AV1 for the optional extra rungs ({@link Av1Ladder})
 */
public record Rung(String name, int width, int height, int videoBitrateKbps, int maxBitrateKbps, String h264Level, String codecs,
                   Codec codec) {

    public enum Codec { H264, AV1 }

    /** An H.264 rung, as every rung was before AV1 rungs existed. */
    public Rung(String name, int width, int height, int videoBitrateKbps, int maxBitrateKbps, String h264Level, String codecs) {
        this(name, width, height, videoBitrateKbps, maxBitrateKbps, h264Level, codecs, Codec.H264);
    }

    /** The codec's level name, e.g. "4.0" (same as {@link #h264Level()}, whose name predates AV1 rungs). */
    public String level() {
        return h264Level;
    }

    public boolean isAv1() {
        return codec == Codec.AV1;
    }

    /** VBV buffer: two seconds at the target rate keeps quality even without large peaks. */
    public int bufferSizeKbits() {
        return videoBitrateKbps * 2;
    }
}
