package org.kinora.media.ladder;

/**
 * One rendition of the encoding ladder: its folder name (e.g. "720p"), exact output size,
 * H.264 target/peak bitrates, the H.264 level passed to x264 (e.g. "4.0") and the matching
 * RFC 6381 codecs string for manifests (e.g. "avc1.640028").
 */
public record Rung(String name, int width, int height, int videoBitrateKbps, int maxBitrateKbps, String h264Level, String codecs) {

    /** VBV buffer: two seconds at the target rate keeps quality even without large peaks. */
    public int bufferSizeKbits() {
        return videoBitrateKbps * 2;
    }
}
