package org.kinora.media.packaging;

/** The encoded audio rendition in {@code <outDir>/<name>/}. */
public record AudioRendition(String name, int bitrateKbps, int sampleRate, int channels, String codecs, MediaPlaylist playlist) {
    /** AAC-LC, 128 kb/s, 48 kHz stereo: what {@link CmafEncoder} writes. */
    public static AudioRendition aacStereo(MediaPlaylist playlist) {
        return new AudioRendition("audio", 128, 48_000, 2, "mp4a.40.2", playlist);
    }
}
