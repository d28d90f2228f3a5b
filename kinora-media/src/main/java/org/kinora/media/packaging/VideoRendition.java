package org.kinora.media.packaging;

import org.kinora.media.ladder.Rung;

/** An encoded video rendition in {@code <outDir>/<rung.name>/}: what the manifests describe. */
public record VideoRendition(Rung rung, double frameRate, MediaPlaylist playlist) {
    public String name() {
        return rung.name();
    }
}
