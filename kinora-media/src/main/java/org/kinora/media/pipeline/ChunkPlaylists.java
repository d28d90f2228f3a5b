package org.kinora.media.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Joins the playlists the chunks of one rendition wrote (media or I-frame, all written with the
 * same settings, each naming its own segments, numbered as in the whole rendition) into the
 * rendition's playlist: the first chunk's header, every chunk's segments in order, one ENDLIST,
 * and the longest target duration among them.
 */
final class ChunkPlaylists {
    private ChunkPlaylists() {}

    /** Tags that describe the whole playlist, not a segment: written once, from the first chunk. */
    private static final Set<String> HEADER = Set.of("#EXTM3U", "#EXT-X-VERSION", "#EXT-X-TARGETDURATION", "#EXT-X-MEDIA-SEQUENCE",
            "#EXT-X-PLAYLIST-TYPE", "#EXT-X-MAP", "#EXT-X-INDEPENDENT-SEGMENTS", "#EXT-X-I-FRAMES-ONLY", "#EXT-X-ENDLIST");

    static String join(List<String> chunks) {
        if (chunks.isEmpty()) throw new IllegalArgumentException("No chunk playlists to join");
        int target = 0;
        for (String playlist : chunks) {
            for (String line : playlist.split("\n")) {
                if (line.startsWith("#EXT-X-TARGETDURATION:")) target = Math.max(target, Integer.parseInt(line.substring(22).strip()));
            }
        }
        List<String> out = new ArrayList<>();
        for (String line : chunks.getFirst().split("\n")) {
            if (isHeader(line) && !line.equals("#EXT-X-ENDLIST")) {
                out.add(line.startsWith("#EXT-X-TARGETDURATION:") ? "#EXT-X-TARGETDURATION:" + target : line);
            }
        }
        for (String playlist : chunks) {
            for (String line : playlist.split("\n")) {
                if (!line.isBlank() && !isHeader(line)) out.add(line.strip());
            }
        }
        out.add("#EXT-X-ENDLIST");
        return String.join("\n", out) + "\n";
    }

    private static boolean isHeader(String line) {
        int colon = line.indexOf(':');
        return HEADER.contains((colon < 0 ? line : line.substring(0, colon)).strip());
    }
}
