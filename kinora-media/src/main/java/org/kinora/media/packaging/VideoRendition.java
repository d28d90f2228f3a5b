package org.kinora.media.packaging;

import java.util.Optional;

import org.kinora.media.ladder.Rung;

/**
 * An encoded video rendition in {@code <outDir>/<rung.name>/}: what the manifests describe.
 *
 * @param timescale ticks per second of the rendition's timestamps (its init segment's mdhd)
 * @param iframes its I-frame playlist ({@code iframes.m3u8}), if one was written
 */
public record VideoRendition(Rung rung, double frameRate, MediaPlaylist playlist, long timescale,
                             Optional<MediaPlaylist> iframes) {
    public String name() {
        return rung.name();
    }

    /** Measured peak rate of the segments; the planned VBV maximum for playlists written before segments were measured. */
    public long peakBitsPerSecond() {
        return playlist.peakBitsPerSecond().orElse(rung.maxBitrateKbps() * 1000L);
    }

    /** Measured mean rate; the planned target rate for playlists written before segments were measured. */
    public long averageBitsPerSecond() {
        return playlist.averageBitsPerSecond().orElse(rung.videoBitrateKbps() * 1000L);
    }
}
