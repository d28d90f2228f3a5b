package org.kinora.media.packaging;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.kinora.core.blob.BlobKeys;
import org.kinora.media.ladder.Rung;

/**
 * Renders the HLS master playlist over the renditions {@link CmafEncoder} wrote, referring to
 * each as {@code <name>/index.m3u8} (and its I-frame playlist {@code <name>/iframes.m3u8})
 * relative to the master.
 */
public final class HlsMasterPlaylist {
    /**
     * Safari and AVPlayer start on the first variant listed, and most players use it until they
     * have measured the network. 720p is a start most connections sustain that still looks sharp;
     * smaller ladders start on their largest rung.
     */
    static final int START_SHORT_SIDE = 720;

    private HlsMasterPlaylist() {}

    /** With a SUBTITLES group listing {@code subtitles} (see {@link SubtitleTracks#hls}). */
    public static String renderWithSubtitles(List<VideoRendition> video, Optional<AudioRendition> audio,
                                             List<org.kinora.core.caption.CaptionTrack> subtitles) {
        return SubtitleTracks.hls(render(video, audio), subtitles);
    }

    /** @param video renditions, in any order: the start variant is listed first, then the rest by bandwidth */
    public static String render(List<VideoRendition> video, Optional<AudioRendition> audio) {
        return render(video, audio, List.of());
    }

    /**
     * As {@link #render(List, Optional)}, also listing rungs still being encoded after the
     * published ones, so that a player reaches them without loading the master again (hls.js
     * never reloads it). Their BANDWIDTH and AVERAGE-BANDWIDTH are the planned maximum and target
     * until they are measured: the master is rewritten with measured figures as each completes.
     * Their media playlists do not exist yet; a player must not switch to them before they do
     * (the watch page caps hls.js to the published rungs, see ladder-growth.js).
     */
    public static String render(List<VideoRendition> video, Optional<AudioRendition> audio, List<Rung> pending) {
        if (video.isEmpty()) {
            throw new IllegalArgumentException("A master playlist needs at least one video rendition");
        }
        StringBuilder m3u8 = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n");
        audio.ifPresent(a -> m3u8.append("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\",NAME=\"Default\",LANGUAGE=\"")
                .append(a.language()).append("\",DEFAULT=YES,AUTOSELECT=YES,")
                .append("CHANNELS=\"").append(a.channels()).append("\",URI=\"").append(BlobKeys.rungPlaylistPath(a.name())).append("\"\n"));
        long audioPeak = audio.map(AudioRendition::peakBitsPerSecond).orElse(0L);
        long audioAverage = audio.map(AudioRendition::averageBitsPerSecond).orElse(0L);
        for (VideoRendition v : startFirst(video)) {
            // BANDWIDTH is the peak rate of what a player fetches for the variant: the measured
            // peak of the video segments plus the audio's that plays alongside; AVERAGE-BANDWIDTH
            // the same for the means. Declaring the planned maxrate instead overstates it by a
            // third or more, and players then pick lower rungs than the network allows.
            m3u8.append(String.format(Locale.ROOT,
                    "#EXT-X-STREAM-INF:BANDWIDTH=%d,AVERAGE-BANDWIDTH=%d,RESOLUTION=%dx%d,CODECS=\"%s\",FRAME-RATE=%.3f%s\n",
                    v.peakBitsPerSecond() + audioPeak,
                    v.averageBitsPerSecond() + audioAverage,
                    v.rung().width(), v.rung().height(),
                    v.rung().codecs() + audio.map(a -> "," + a.codecs()).orElse(""),
                    v.frameRate(),
                    audio.isPresent() ? ",AUDIO=\"audio\"" : ""));
            m3u8.append(BlobKeys.rungPlaylistPath(v.name())).append('\n');
        }
        for (Rung rung : pending.stream().sorted(Comparator.comparingInt(Rung::maxBitrateKbps)).toList()) {
            m3u8.append(String.format(Locale.ROOT,
                    "#EXT-X-STREAM-INF:BANDWIDTH=%d,AVERAGE-BANDWIDTH=%d,RESOLUTION=%dx%d,CODECS=\"%s\",FRAME-RATE=%.3f%s\n",
                    rung.maxBitrateKbps() * 1000L + audioPeak,
                    rung.videoBitrateKbps() * 1000L + audioAverage,
                    rung.width(), rung.height(),
                    rung.codecs() + audio.map(a -> "," + a.codecs()).orElse(""),
                    video.getFirst().frameRate(),
                    audio.isPresent() ? ",AUDIO=\"audio\"" : ""));
            m3u8.append(BlobKeys.rungPlaylistPath(rung.name())).append('\n');
        }
        for (VideoRendition v : sortedByBitrate(video)) {
            v.iframes().ifPresent(iframes -> m3u8.append(String.format(Locale.ROOT,
                    "#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=%d,RESOLUTION=%dx%d,CODECS=\"%s\",URI=\"%s/%s\"\n",
                    iframes.peakBitsPerSecond().orElse(v.peakBitsPerSecond()),
                    v.rung().width(), v.rung().height(), v.rung().codecs(), v.name(), IFramePlaylist.FILE)));
        }
        return m3u8.toString();
    }

    /**
     * The start variant (see {@link #START_SHORT_SIDE}), then the others lowest bandwidth first;
     * AV1 renditions after every H.264 one, and never the start: a client that takes the first
     * variant without reading CODECS must get one it can decode, and clients that do read it
     * (hls.js filters by MediaSource.isTypeSupported) find the AV1 ones wherever they are listed.
     */
    static List<VideoRendition> startFirst(List<VideoRendition> video) {
        List<VideoRendition> sorted = sortedByBitrate(video);
        List<VideoRendition> h264 = sorted.stream().filter(v -> !v.rung().isAv1()).toList();
        List<VideoRendition> candidates = h264.isEmpty() ? sorted : h264;
        VideoRendition start = candidates.stream()
                .filter(v -> shortSide(v) <= START_SHORT_SIDE)
                .max(Comparator.comparingInt(HlsMasterPlaylist::shortSide))
                .orElse(candidates.getFirst());
        List<VideoRendition> ordered = new ArrayList<>(List.of(start));
        sorted.stream().filter(v -> v != start && !v.rung().isAv1()).forEach(ordered::add);
        sorted.stream().filter(v -> v != start && v.rung().isAv1()).forEach(ordered::add);
        return ordered;
    }

    private static int shortSide(VideoRendition v) {
        return Math.min(v.rung().width(), v.rung().height());
    }

    /** By the planned rate, so the ladder's order never flips on a measurement. */
    static List<VideoRendition> sortedByBitrate(List<VideoRendition> video) {
        return video.stream()
                .sorted(Comparator.comparingInt(v -> v.rung().maxBitrateKbps()))
                .toList();
    }
}
