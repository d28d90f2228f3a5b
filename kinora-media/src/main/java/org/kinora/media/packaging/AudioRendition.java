package org.kinora.media.packaging;

/**
 * The encoded audio rendition in {@code <outDir>/<name>/}.
 *
 * @param language BCP 47 tag for HLS LANGUAGE and the MPD's @lang (see {@link AudioLanguage})
 * @param timescale ticks per second of its timestamps (its init segment's mdhd; the sample rate)
 */
public record AudioRendition(String name, int bitrateKbps, int sampleRate, int channels, String codecs, String language,
                             long timescale, MediaPlaylist playlist) {
    /** AAC-LC, 128 kb/s, 48 kHz stereo: what {@link CmafEncoder} writes. */
    public static AudioRendition aacStereo(MediaPlaylist playlist, String language, long timescale) {
        return new AudioRendition("audio", 128, 48_000, 2, "mp4a.40.2", language, timescale, playlist);
    }

    public long peakBitsPerSecond() {
        return playlist.peakBitsPerSecond().orElse(bitrateKbps * 1000L);
    }

    public long averageBitsPerSecond() {
        return playlist.averageBitsPerSecond().orElse(bitrateKbps * 1000L);
    }
}
