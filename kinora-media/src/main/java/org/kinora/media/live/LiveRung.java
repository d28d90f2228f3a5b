package org.kinora.media.live;

import org.kinora.media.ladder.Rung;

/**
 * One rendition of a live: the source passed through ({@code rung} null: H.264/AAC copied, only
 * re-fragmented) or transcoded to {@code rung}. {@code codecs} and {@code bandwidth} are for the
 * master playlist.
 */
public record LiveRung(String name, Rung rung, int width, int height, int bandwidth, String codecs) {
    public boolean passThrough() { return rung == null; }
}
