package org.kinora.media.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.kinora.core.blob.BlobKeys;

/**
 * The I-frame playlist of a video rendition (RFC 8216 §4.3.3.6, {@code EXT-X-I-FRAMES-ONLY}),
 * for trick play and scrubbing in Apple players. Every segment starts with a keyframe (forced by
 * {@link CmafEncoder}), so each entry is that keyframe as a byte range of the segment file
 * itself (see {@link Fmp4Boxes#firstSample}); its duration runs to the next segment's keyframe,
 * which is the segment's own duration. No file is copied.
 */
public final class IFramePlaylist {
    public static final String FILE = BlobKeys.IFRAME_PLAYLIST;

    private IFramePlaylist() {}

    /** Writes {@code <dir>/iframes.m3u8} for the media playlist and segments in {@code dir}. */
    static void write(Path dir, MediaPlaylist playlist) {
        List<Fmp4Boxes.Range> keyframes = new ArrayList<>();
        for (MediaPlaylist.Segment segment : playlist.segments()) {
            keyframes.add(Fmp4Boxes.firstSample(dir.resolve(segment.uri())));
        }
        try {
            Files.writeString(dir.resolve(FILE), render(playlist, keyframes));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the I-frame playlist in " + dir, e);
        }
    }

    static String render(MediaPlaylist playlist, List<Fmp4Boxes.Range> keyframes) {
        if (playlist.initUri() == null) {
            throw new IllegalArgumentException("An fMP4 I-frame playlist needs the media playlist's EXT-X-MAP");
        }
        StringBuilder m3u8 = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n")
                .append("#EXT-X-TARGETDURATION:").append(playlist.targetDurationSeconds()).append('\n')
                .append("#EXT-X-MEDIA-SEQUENCE:1\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-I-FRAMES-ONLY\n")
                .append("#EXT-X-MAP:URI=\"").append(playlist.initUri()).append("\"\n");
        for (int i = 0; i < playlist.segments().size(); i++) {
            MediaPlaylist.Segment segment = playlist.segments().get(i);
            Fmp4Boxes.Range keyframe = keyframes.get(i);
            m3u8.append(String.format(Locale.ROOT, "#EXTINF:%.6f,\n", segment.durationSeconds()))
                    .append("#EXT-X-BYTERANGE:").append(keyframe.length()).append('@').append(keyframe.offset()).append('\n')
                    .append(segment.uri()).append('\n');
        }
        return m3u8.append("#EXT-X-ENDLIST\n").toString();
    }
}
