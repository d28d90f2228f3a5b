package org.kinora.media.packaging;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.kinora.core.blob.BlobKeys;

/**
 * Renders the HLS master playlist over the renditions {@link CmafEncoder} wrote, referring to
 * each as {@code <name>/index.m3u8} relative to the master.
 */
public final class HlsMasterPlaylist {
    private HlsMasterPlaylist() {}

    /** @param video renditions, rendered lowest bitrate first whatever their order here */
    public static String render(List<VideoRendition> video, Optional<AudioRendition> audio) {
        if (video.isEmpty()) {
            throw new IllegalArgumentException("A master playlist needs at least one video rendition");
        }
        StringBuilder m3u8 = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n");
        audio.ifPresent(a -> m3u8.append("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\",NAME=\"Default\",DEFAULT=YES,AUTOSELECT=YES,")
                .append("CHANNELS=\"").append(a.channels()).append("\",URI=\"").append(BlobKeys.rungPlaylistPath(a.name())).append("\"\n"));
        long audioBps = audio.map(a -> a.bitrateKbps() * 1000L).orElse(0L);
        for (VideoRendition v : sortedByBitrate(video)) {
            // BANDWIDTH is the peak rate of the stream a player would fetch: the video's VBV
            // maximum plus the audio that plays alongside it.
            m3u8.append(String.format(Locale.ROOT,
                    "#EXT-X-STREAM-INF:BANDWIDTH=%d,AVERAGE-BANDWIDTH=%d,RESOLUTION=%dx%d,CODECS=\"%s\",FRAME-RATE=%.3f%s\n",
                    v.rung().maxBitrateKbps() * 1000L + audioBps,
                    v.rung().videoBitrateKbps() * 1000L + audioBps,
                    v.rung().width(), v.rung().height(),
                    v.rung().codecs() + audio.map(a -> "," + a.codecs()).orElse(""),
                    v.frameRate(),
                    audio.isPresent() ? ",AUDIO=\"audio\"" : ""));
            m3u8.append(BlobKeys.rungPlaylistPath(v.name())).append('\n');
        }
        return m3u8.toString();
    }

    static List<VideoRendition> sortedByBitrate(List<VideoRendition> video) {
        return video.stream()
                .sorted((a, b) -> Integer.compare(a.rung().maxBitrateKbps(), b.rung().maxBitrateKbps()))
                .toList();
    }
}
